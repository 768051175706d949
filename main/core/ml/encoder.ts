// A down-sampling conv stack from S×S to the generator's first grid (4×4 for powers of two; model.sizePlan), used as the GAN discriminator's trunk and the VAE
// encoder's: from-RGB conv, then stride-2 3×3 convs with leaky ReLU, doubling channels.
import { imageChannels } from './alpha';
import type { TrainConfig } from './config';
import { convLrelu } from './layers';
import { channelPlan, sizePlan } from './model';
import type { ParamBuilder, Params } from './params';
import { tf } from '../compute/tf';

type Dims = Pick<TrainConfig, 'size' | 'channels'> & Partial<Pick<TrainConfig, 'alpha'>>;

/** Adds the stack's parameters; returns the number of features it ends with (grid² × channels). */
export function addDownStack(b: ParamBuilder, name: string, cfg: Dims): number {
  const ch = channelPlan(cfg.size, cfg.channels);
  const n = ch.length - 1;
  b.conv(`${name}/rgb`, 3, imageChannels(cfg), ch[n]!);
  for (let i = n; i >= 1; i--) b.conv(`${name}/down${i}`, 3, ch[i]!, ch[i - 1]!);
  return sizePlan(cfg.size).grid ** 2 * ch[0]!;
}

/** [B, S, S, 3 or 4] → [B, G, G, C0], G the first grid side. */
export function downStack(p: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  let h = convLrelu(p, `${name}/rgb`, x);
  let i = 1;
  while (p[`${name}/down${i + 1}/w`]) i++;
  for (; i >= 1; i--) h = convLrelu(p, `${name}/down${i}`, h, 2);
  return h;
}
