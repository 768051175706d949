// The stock leakyRelu gradient is where(greater(x, 0), dy, dy·α): three kernels, and wasm's Greater
// against a scalar takes its slow broadcasting path (15 ms for a 16×64×64×16 activation). step(x, α)
// is 1 where x > 0 and α elsewhere, so dy·step(x, α) is the same value in two fast kernels; where the
// backend has our LEAKY_RELU_GRAD kernel (wasm/kernels.ts), in one.
import { tf } from '../tf';

/** Inputs x (the leaky ReLU's input or output: same sign) and dy; attribute alpha; output dy·step(x, α). */
export const LEAKY_RELU_GRAD = 'HomegrownLeakyReluGrad';

/** dy where x > 0, else α·dy. */
export function leakyReluBackward(x: tf.Tensor, dy: tf.Tensor, alpha: number): tf.Tensor {
  if (!tf.getKernel(LEAKY_RELU_GRAD, tf.getBackend())) return tf.mul(dy, tf.step(x, alpha));
  return tf.engine().runKernel(LEAKY_RELU_GRAD, { x, dy }, { alpha }) as tf.Tensor;
}

export const leakyReluGrad: tf.GradConfig = {
  kernelName: tf.LeakyRelu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { alpha } = attrs as unknown as tf.LeakyReluAttrs;
    return { x: () => leakyReluBackward(x, dy as tf.Tensor, alpha) };
  },
};
