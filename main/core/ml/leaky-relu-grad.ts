// The stock leakyRelu gradient is where(greater(x, 0), dy, dy·α): three kernels, and wasm's Greater
// against a scalar takes its slow broadcasting path (15 ms for a 16×64×64×16 activation). step(x, α)
// is 1 where x > 0 and α elsewhere, so dy·step(x, α) is the same value in two fast kernels.
import { tf } from './tf';

export const leakyReluGrad: tf.GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(x, alpha)) };
  },
};
