// The image generator shared by the GAN (generator) and the VAE (decoder): a mapping network turns
// noise + text condition into a style vector; each up-sampling block is nearest ×2 + conv →
// pixel norm → FiLM from the style → leaky ReLU, so the prompt steers every scale.
import { imageChannels } from './alpha';
import type { TrainConfig } from './config';
import { conv, dense, lrelu, normFilmLrelu, resizeConv, upConv } from './layers';
import { channelPlan, sizePlan } from './model';
import type { ParamBuilder, Params } from './params';
import { addTextEncoder, encodeText } from './text';
import { tf } from '../compute/tf';
import type { TileMode } from '#shared/recipe';

type Dims = Pick<TrainConfig, 'size' | 'channels' | 'zDim' | 'embDim' | 'styleDim'> & Partial<Pick<TrainConfig, 'alpha' | 'upsample'>>;

export function addGenerator(b: ParamBuilder, name: string, cfg: Dims, vocabSize: number): void {
  const ch = channelPlan(cfg.size, cfg.channels);
  addTextEncoder(b, `${name}/text`, vocabSize, cfg.embDim, cfg.embDim);
  b.dense(`${name}/map1`, cfg.zDim + cfg.embDim, cfg.styleDim);
  b.dense(`${name}/map2`, cfg.styleDim, cfg.styleDim);
  b.dense(`${name}/in`, cfg.styleDim, sizePlan(cfg.size).grid ** 2 * ch[0]!);
  b.dense(`${name}/film0`, cfg.styleDim, 2 * ch[0]!, 0.1);
  for (let i = 1; i < ch.length; i++) {
    if (cfg.upsample === 'resize') b.conv(`${name}/up${i}`, 3, ch[i - 1]!, ch[i]!);
    else b.upConv(`${name}/up${i}`, ch[i - 1]!, ch[i]!);
    b.dense(`${name}/film${i}`, cfg.styleDim, 2 * ch[i]!, 0.1);
  }
  b.conv(`${name}/rgb`, 3, ch[ch.length - 1]!, imageChannels(cfg), 1);
}

/** `tile`: draw seamless tiles, wrapping around along these axes (tile.ts); sampling only. */
export function generate(p: Params, name: string, z: tf.Tensor2D, bags: tf.Tensor2D, tile?: TileMode): tf.Tensor4D {
  const text = encodeText(p, `${name}/text`, bags);
  const style = lrelu(dense(p, `${name}/map2`, lrelu(dense(p, `${name}/map1`, tf.concat([z, text], 1)))));
  const c0 = p[`${name}/film0/b`]!.shape[0] / 2;
  const grid = Math.round(Math.sqrt(p[`${name}/in/b`]!.shape[0] / c0));
  let h = tf.reshape(dense(p, `${name}/in`, style), [-1, grid, grid, c0]) as tf.Tensor4D;
  h = normFilmLrelu(p, `${name}/film0`, h, style);
  for (let i = 1; p[`${name}/up${i}/w`]; i++) {
    // Sub-pixel weights have 4× the block's channels (film's), resize-conv weights the same.
    const up = p[`${name}/up${i}/w`]!.shape[3] === p[`${name}/film${i}/b`]!.shape[0] / 2 ? resizeConv : upConv;
    h = normFilmLrelu(p, `${name}/film${i}`, up(p, `${name}/up${i}`, h, tile), style);
  }
  return tf.tanh(conv(p, `${name}/rgb`, h, 1, tile));
}

/** Draws with the generator stored under `g/`, as every model keeps it (Model['generate']). */
export function drawImages(p: Params, z: tf.Tensor2D, bags: tf.Tensor2D, tile?: TileMode): tf.Tensor4D {
  return generate(p, 'g', z, bags, tile);
}
