// Layers as small pure functions over explicit parameters (see params.ts for the naming scheme).
// NHWC throughout. No fused conv: on wasm its gradient is computed inline and bypasses our patch.
import type { Params } from './params';
import { convInput } from './tile';
import { tf } from './tf';

export function dense(p: Params, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, p[`${name}/w`] as tf.Tensor2D), p[`${name}/b`]);
}

export function conv(p: Params, name: string, x: tf.Tensor4D, stride: 1 | 2 = 1): tf.Tensor4D {
  const w = p[`${name}/w`] as tf.Tensor4D;
  const input = convInput(x, w.shape[0], stride); // wrap-around padding while drawing seamless tiles (tile.ts)
  return tf.add(tf.conv2d(input.x, w, stride, input.pad), p[`${name}/b`]);
}

/**
 * Sub-pixel up-sampling (Shi et al. 2016): a 3×3 conv to 4× the channels, then depth-to-space written
 * as reshape/transpose. Doubles height and width using only a forward conv, which is much faster on
 * wasm than conv2dTranspose (whose kernel is also the slow path of every conv's input gradient).
 */
export function upConv(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const y = conv(p, name, x);
  const [b, h, w, c4] = y.shape;
  const c = c4 / 4;
  return tf.reshape(tf.transpose(tf.reshape(y, [b, h, w, 2, 2, c]), [0, 1, 3, 2, 4, 5]), [b, 2 * h, 2 * w, c]);
}

export function lrelu(x: tf.Tensor4D): tf.Tensor4D;
export function lrelu(x: tf.Tensor2D): tf.Tensor2D;
export function lrelu(x: tf.Tensor): tf.Tensor {
  return tf.leakyRelu(x, 0.2);
}

/** Per-pixel feature normalisation (ProGAN): per sample, so an image never depends on its batch. */
export function pixelNorm(x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-8)));
}

/** FiLM: scale and shift each channel by vectors computed from the style/condition `s` [B, S]. */
export function film(p: Params, name: string, x: tf.Tensor4D, s: tf.Tensor2D): tf.Tensor4D {
  const c = x.shape[3];
  const gb = dense(p, name, s);
  const [gamma, beta] = tf.split(gb, [c, c], 1);
  return tf.add(tf.mul(x, tf.reshape(tf.add(gamma, 1), [-1, 1, 1, c])), tf.reshape(beta, [-1, 1, 1, c]));
}
