// Backward bilinear warping: out(p) = image(p + flow(p)), sampled bilinearly, coordinates clamped to the
// border. Written as two dense interpolation-weight matrices (rows, then columns) and a batched matMul,
// because on the wasm backend the gradients of gather/gatherND need kernels it lacks
// (UnsortedSegmentSum, ScatterNd); matMul, abs, relu and clip all have gradients everywhere. At 32–64 px
// the weights are [B, H·W, H] and [B, H·W, W], small enough to build outright.
import { tf } from '../compute/tf';

/** Bilinear weights of each sample coordinate `s` [B, P] over integer positions 0…n−1: [B, P, n]. */
function axisWeights(s: tf.Tensor2D, n: number): tf.Tensor3D {
  const q = tf.reshape(tf.range(0, n, 1, 'float32'), [1, 1, n]);
  return tf.relu(tf.sub(1, tf.abs(tf.sub(tf.expandDims(s, 2), q)))) as tf.Tensor3D;
}

/** image [B, H, W, C], flow [B, H, W, 2] as (dx, dy) in pixels → image [B, H, W, C]. */
export function warp(image: tf.Tensor4D, flow: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = image.shape;
    const [fx, fy] = tf.split(flow, 2, 3);
    const gx = tf.reshape(tf.range(0, w, 1, 'float32'), [1, 1, w, 1]);
    const gy = tf.reshape(tf.range(0, h, 1, 'float32'), [1, h, 1, 1]);
    const sx = tf.reshape(tf.clipByValue(tf.add(gx, fx!), 0, w - 1), [b, h * w]) as tf.Tensor2D;
    const sy = tf.reshape(tf.clipByValue(tf.add(gy, fy!), 0, h - 1), [b, h * w]) as tf.Tensor2D;
    // Rows first: [B, P, H] × [B, H, W·C] → for each output pixel, its sampled row of the image.
    const rows = tf.matMul(axisWeights(sy, h), tf.reshape(image, [b, h, w * c]));
    const cols = tf.expandDims(axisWeights(sx, w), 3);
    return tf.reshape(tf.sum(tf.mul(tf.reshape(rows, [b, h * w, w, c]), cols), 2), [b, h, w, c]) as tf.Tensor4D;
  });
}
