// Layers as small pure functions over explicit parameters (see params.ts for the naming scheme).
// NHWC throughout. Not tfjs's fused conv: on wasm its gradient is computed inline and bypasses our
// patch; our own conv-layer op (wasm/conv-bias.ts) keeps it.
import type { Params } from './params';
import { convInput } from './tile';
import { tf } from '../compute/tf';
import { CONV2D_BIAS, type ConvLayerAttrs } from '../compute/wasm/conv-bias';
import { NORM_FILM, type NormFilmAttrs } from '../compute/wasm/norm-film';
import type { TileMode } from '#shared/recipe';

const LRELU_ALPHA = 0.2;
const PIXEL_NORM_EPS = 1e-8;

export function dense(p: Params, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, p[`${name}/w`] as tf.Tensor2D), p[`${name}/b`]!);
}

/** `tile`: pad by wrapping around along these axes, as seamless tiles are drawn (tile.ts). */
export function conv(p: Params, name: string, x: tf.Tensor4D, stride: 1 | 2 = 1, tile?: TileMode): tf.Tensor4D {
  return convLayer(p, name, x, stride, undefined, tile);
}

/** lrelu(conv(…)): one kernel where the backend has our conv-layer op. */
export function convLrelu(p: Params, name: string, x: tf.Tensor4D, stride: 1 | 2 = 1, tile?: TileMode): tf.Tensor4D {
  return convLayer(p, name, x, stride, LRELU_ALPHA, tile);
}

function convLayer(p: Params, name: string, x: tf.Tensor4D, stride: 1 | 2, leakyAlpha?: number, tile?: TileMode): tf.Tensor4D {
  const w = p[`${name}/w`] as tf.Tensor4D;
  const input = convInput(x, w.shape[0], stride, tile);
  const bias = p[`${name}/b`] as tf.Tensor1D;
  if (!tf.getKernel(CONV2D_BIAS, tf.getBackend())) {
    const y = tf.add(tf.conv2d(input.x, w, stride, input.pad), bias) as tf.Tensor4D;
    return leakyAlpha === undefined ? y : tf.leakyRelu(y, leakyAlpha);
  }
  const layer: ConvLayerAttrs = leakyAlpha === undefined ? {} : { leakyAlpha };
  const attrs = { strides: stride, pad: input.pad, dataFormat: 'NHWC', dilations: 1, ...layer };
  return tf.engine().runKernel(CONV2D_BIAS, { x: input.x, filter: w, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/**
 * Sub-pixel up-sampling (Shi et al. 2016): a 3×3 conv to 4× the channels, then depth-to-space written
 * as reshape/transpose. Doubles height and width using only a forward conv, which is much faster on
 * wasm than conv2dTranspose (whose kernel is also the slow path of every conv's input gradient).
 */
export function upConv(p: Params, name: string, x: tf.Tensor4D, tile?: TileMode): tf.Tensor4D {
  const y = conv(p, name, x, 1, tile);
  const [b, h, w, c4] = y.shape;
  const c = c4 / 4;
  return tf.reshape(tf.transpose(tf.reshape(y, [b, h, w, 2, 2, c]), [0, 1, 3, 2, 4, 5]), [b, 2 * h, 2 * w, c]);
}

/** Nearest-neighbour ×2 then a 3×3 conv (Odena et al. 2016): no checkerboard at any point in training. */
export function resizeConv(p: Params, name: string, x: tf.Tensor4D, tile?: TileMode): tf.Tensor4D {
  const [, h, w] = x.shape;
  return conv(p, name, tf.image.resizeNearestNeighbor(x, [2 * h, 2 * w]), 1, tile);
}

export function lrelu(x: tf.Tensor4D): tf.Tensor4D;
export function lrelu(x: tf.Tensor2D): tf.Tensor2D;
export function lrelu(x: tf.Tensor): tf.Tensor {
  return tf.leakyRelu(x, LRELU_ALPHA);
}

/** Per-pixel feature normalisation (ProGAN): per sample, so an image never depends on its batch. */
export function pixelNorm(x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), PIXEL_NORM_EPS)));
}

/** FiLM's per-image channel scale (1 + γ) and shift (β) [B, C], computed from the style/condition `s` [B, S]. */
function filmParams(p: Params, name: string, c: number, s: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [gamma, beta] = tf.split(dense(p, name, s), [c, c], 1) as [tf.Tensor2D, tf.Tensor2D];
  return [tf.add(gamma, 1), beta];
}

/** FiLM: scale and shift each channel by vectors computed from the style/condition `s` [B, S]. */
export function film(p: Params, name: string, x: tf.Tensor4D, s: tf.Tensor2D): tf.Tensor4D {
  const c = x.shape[3];
  const [scale, shift] = filmParams(p, name, c, s);
  return tf.add(tf.mul(x, tf.reshape(scale, [-1, 1, 1, c])), tf.reshape(shift, [-1, 1, 1, c]));
}

/**
 * lrelu(film(pixelNorm(x))), the tail of every generator block: one kernel each way where the backend
 * has ours (wasm/norm-film.ts), the same ops composed elsewhere.
 */
export function normFilmLrelu(p: Params, name: string, x: tf.Tensor4D, s: tf.Tensor2D): tf.Tensor4D {
  if (!tf.getKernel(NORM_FILM, tf.getBackend())) return lrelu(film(p, name, pixelNorm(x), s));
  const [scale, shift] = filmParams(p, name, x.shape[3], s);
  const attrs: NormFilmAttrs = { alpha: LRELU_ALPHA, eps: PIXEL_NORM_EPS };
  return tf.engine().runKernel(NORM_FILM, { x, scale, shift }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
