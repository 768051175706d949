// FastGAN's self-supervised discriminator (Liu et al. 2021): two small decoders redraw the real image
// from the discriminator's own features — the whole image at half size from the first grid, and a
// random quarter at full size from the grid above it. A judge that must describe what it saw learns
// colours and shapes instead of memorising a small folder, and its gradients teach the generator those.
import { imageChannels } from './alpha';
import type { TrainConfig } from './config';
import { conv, lrelu, resizeConv } from './layers';
import { channelPlan, sizePlan } from './model';
import type { ParamBuilder, Params } from './params';
import type { Rng } from '#shared/rng';
import { tf } from '../compute/tf';

type Dims = Pick<TrainConfig, 'size' | 'channels'> & Partial<Pick<TrainConfig, 'alpha'>>;

const MIN_WIDTH = 8;

function addDecoder(b: ParamBuilder, name: string, inC: number, ups: number, outC: number): void {
  let c = inC;
  for (let i = 1; i <= ups; i++) {
    const next = Math.max(MIN_WIDTH, c / 2);
    b.conv(`${name}/up${i}`, 3, c, next);
    c = next;
  }
  b.conv(`${name}/rgb`, 3, c, outC, 1);
}

function decode(p: Params, name: string, h: tf.Tensor4D): tf.Tensor4D {
  for (let i = 1; p[`${name}/up${i}/w`]; i++) h = lrelu(resizeConv(p, `${name}/up${i}`, h));
  return tf.tanh(conv(p, `${name}/rgb`, h));
}

/** The decoders' parameters, under `${name}/whole` and `${name}/part`. */
export function addDecoders(b: ParamBuilder, name: string, cfg: Dims): void {
  const ch = channelPlan(cfg.size, cfg.channels);
  const ups = sizePlan(cfg.size).ups - 1;
  addDecoder(b, `${name}/whole`, ch[0]!, ups, imageChannels(cfg));
  addDecoder(b, `${name}/part`, ch[1]!, ups, imageChannels(cfg));
}

/**
 * Mean squared error of both redrawings against the real images `x` [B, S, S, C] that produced
 * `features` (downFeatures: full size first, the first grid last). One quarter per batch, drawn by `rng`.
 */
export function reconstructionLoss(p: Params, name: string, features: tf.Tensor4D[], x: tf.Tensor4D, rng: Rng): tf.Scalar {
  const grid = features.at(-1)!;
  const above = features.at(-2)!;
  const g = grid.shape[1];
  const half = x.shape[1] / 2;
  const [qy, qx] = [rng.int(2), rng.int(2)];
  const whole = tf.losses.meanSquaredError(tf.avgPool(x, 2, 2, 'valid'), decode(p, `${name}/whole`, grid));
  const crop = tf.slice(above, [0, qy * g, qx * g, 0], [-1, g, g, -1]);
  const quarter = tf.slice(x, [0, qy * half, qx * half, 0], [-1, half, half, -1]);
  const part = tf.losses.meanSquaredError(quarter, decode(p, `${name}/part`, crop));
  return tf.add(whole, part) as tf.Scalar;
}
