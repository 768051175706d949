// The gradient of a matMul multiplies by a transposed operand. wasm's BatchMatMul kernel handles a
// transposed operand 5–10× slower than an explicit transpose plus a plain product (batch 16, a
// 4096×256 dense layer: 45 ms vs 5 ms), and it re-packs its right operand on every call, so the cheaper
// of two equivalent plain products is used: x'·y', or (y'ᵀ·x'ᵀ)ᵀ when that transposes and packs less.
import { tf } from '../tf';

/** xᵀ?·yᵀ? for 2-D tensors using only untransposed products. Other ranks use tf.matMul as is. */
export function matMulPlain(x: tf.Tensor, y: tf.Tensor, tx: boolean, ty: boolean): tf.Tensor {
  if (x.rank !== 2 || y.rank !== 2) return tf.matMul(x, y, tx, ty);
  const [m, n] = [tx ? x.shape[1]! : x.shape[0]!, ty ? y.shape[0]! : y.shape[1]!];
  // Cost in elements moved: transposed inputs, plus the right operand (packed by XNNPACK), plus the
  // transposed result for the swapped form.
  const direct = (tx ? x.size : 0) + (ty ? y.size : 0) + y.size;
  const swapped = (ty ? 0 : y.size) + (tx ? 0 : x.size) + m * n + x.size;
  return tf.tidy(() => {
    const t = (a: tf.Tensor, flip: boolean) => (flip ? tf.transpose(a) : a);
    if (direct <= swapped) return tf.matMul(t(x, tx), t(y, ty));
    return tf.transpose(tf.matMul(t(y, !ty), t(x, !tx)));
  });
}

export const batchMatMulGrad: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const d = dy as tf.Tensor;
    // The same four cases as tfjs's own gradient, each product computed by matMulPlain.
    if (!transposeA && !transposeB) return { a: () => matMulPlain(d, b, false, true), b: () => matMulPlain(a, d, true, false) };
    if (!transposeA) return { a: () => matMulPlain(d, b, false, false), b: () => matMulPlain(d, a, true, false) };
    if (!transposeB) return { a: () => matMulPlain(b, d, false, true), b: () => matMulPlain(a, d, false, false) };
    return { a: () => matMulPlain(b, d, true, true), b: () => matMulPlain(d, a, true, true) };
  },
};
