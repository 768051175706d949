// The stock sum and mean gradients broadcast dy with mul(dy, ones(x.shape)): tf.ones builds the array
// in JS and uploads it, 1.4 ms for a 16×32×32×16 activation on wasm, where the Fill kernel takes
// 0.14 ms. Multiplying by one is exact, so these give the stock values (the mean divides the small
// tensor before broadcasting instead of after: the same numbers, since ·1 changes nothing).
import { tf } from '../tf';

/** Gradient of a reduction over `axis`: dy spread back over x's shape, divided by the count for a mean. */
function spreadGrad(kernelName: string, mean: boolean): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam((attrs as unknown as tf.SumAttrs).axis, x.shape);
      const kept = tf.reshape(
        dy as tf.Tensor,
        x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
      );
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      return { x: () => tf.mul(mean ? tf.div(kept, count) : kept, tf.fill(x.shape, 1)) };
    },
  };
}

export const sumGrad = spreadGrad(tf.Sum, false);
export const meanGrad = spreadGrad(tf.Mean, true);
