// Layers as small pure functions over explicit parameters (see params.ts for the naming scheme).
// NHWC throughout. No fused conv: on wasm its gradient is computed inline and bypasses our patch.
import type { Params } from './params';
import { tf } from './tf';

export function dense(p: Params, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, p[`${name}/w`] as tf.Tensor2D), p[`${name}/b`]);
}

export function conv(p: Params, name: string, x: tf.Tensor4D, stride: 1 | 2 = 1): tf.Tensor4D {
  return tf.add(tf.conv2d(x, p[`${name}/w`] as tf.Tensor4D, stride, 'same'), p[`${name}/b`]);
}

/** Stride-2 transposed conv doubling height and width. */
export function upConv(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const w = p[`${name}/w`] as tf.Tensor4D;
  const [b, h, wd] = x.shape;
  const out = tf.conv2dTranspose(x, w, [b, h * 2, wd * 2, w.shape[2]], 2, 'same');
  return tf.add(out, p[`${name}/b`]);
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

/** Mean over space: [B, H, W, C] → [B, C]. */
export function globalMean(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}
