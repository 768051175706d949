// Seamless tiles: with a tile mode, stride-1 convolutions see the image as wrapping around along the
// tiled axes (circular padding, then a 'valid' convolution) instead of zero padding. The generator's
// 4×4 start and its sub-pixel up-sampling are already position-free, so the whole image is computed on
// a torus and its left/right (top/bottom) edges continue into each other. Sampling only: weights are
// the same, so any trained model can draw tiles.
import type { TileMode } from '#shared/recipe';
import { tf } from '../compute/tf';

function wrap(x: tf.Tensor4D, p: number, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const begin = (at: number) => (axis === 1 ? [0, at, 0, 0] : [0, 0, at, 0]);
  const size = (len: number) => (axis === 1 ? [-1, len, -1, -1] : [-1, -1, len, -1]);
  return tf.concat([tf.slice(x, begin(n - p), size(p)), x, tf.slice(x, begin(0), size(p))], axis);
}

/**
 * The input and padding mode for a k×k, stride-1 convolution: unchanged with 'same' without a tile
 * mode, else padded by (k−1)/2 — wrapped along tiled axes, zeros along the others — for 'valid'.
 */
export function convInput(x: tf.Tensor4D, k: number, stride: number, tile?: TileMode): { x: tf.Tensor4D; pad: 'same' | 'valid' } {
  if (!tile || k === 1 || stride !== 1) return { x, pad: 'same' };
  const p = (k - 1) / 2;
  let out = tile.includes('y')
    ? wrap(x, p, 1)
    : tf.pad(x, [
        [0, 0],
        [p, p],
        [0, 0],
        [0, 0],
      ]);
  out = tile.includes('x')
    ? wrap(out, p, 2)
    : tf.pad(out, [
        [0, 0],
        [0, 0],
        [p, p],
        [0, 0],
      ]);
  return { x: out, pad: 'valid' };
}
