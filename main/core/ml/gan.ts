// Conditional GAN for small datasets: FiLM-conditioned generator, projection discriminator
// (Miyato & Koyama 2018), hinge loss, DiffAugment on real and fake, EMA generator for sampling, and
// optionally the minibatch standard deviation as one more discriminator feature (Karras et al. 2018).
import type { Rng } from '#shared/rng';
import { diffAugment } from './augment';
import type { TrainConfig } from './config';
import { addDownStack, downStack } from './encoder';
import { addGenerator, drawImages, generate } from './generator';
import { dense, lrelu } from './layers';
import { type Batch, channelPlan, type Model } from './model';
import { ParamBuilder, type Params } from './params';
import { addTextEncoder, encodeText } from './text';
import { tf } from '../compute/tf';

/** At most this many images share one standard deviation: small groups keep the signal per image. */
const MBSTD_GROUP = 4;

/** The largest group size up to MBSTD_GROUP that divides the batch, so no group spans two batches. */
export function mbstdGroup(batch: number): number {
  let g = Math.min(MBSTD_GROUP, batch);
  while (batch % g !== 0) g--;
  return g;
}

/**
 * Appends to each row the mean over features of their standard deviation within its group of `group`
 * consecutive rows: a batch of near-identical fakes stands out from a batch of reals, so the
 * generator is pushed to spread its samples.
 */
export function withMbstd(flat: tf.Tensor2D, group: number): tf.Tensor2D {
  const [n, f] = flat.shape;
  const grouped = tf.reshape(flat, [n / group, group, f]);
  const { variance } = tf.moments(grouped, 1);
  const std = tf.mean(tf.sqrt(tf.add(variance, 1e-8)), 1, true);
  return tf.concat([flat, tf.reshape(tf.tile(std, [1, group]), [n, 1])], 1);
}

/** `group`: the minibatch std's group size, used when the discriminator was built with it. */
function discriminate(p: Params, x: tf.Tensor4D, bags: tf.Tensor2D, group: number): tf.Tensor1D {
  // Flattened grid features keep where things are, which is most of what tells shapes apart.
  const h = downStack(p, 'd', x);
  let flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  if (p['d/fc/w']!.shape[0] === flat.shape[1] + 1) flat = withMbstd(flat, group);
  const feat = lrelu(dense(p, 'd/fc', flat));
  // Projection term, scaled so it starts on the same order as the unconditional output.
  const proj = tf.div(tf.sum(tf.mul(feat, encodeText(p, 'd/text', bags)), 1), Math.sqrt(feat.shape[1]));
  return tf.add(tf.reshape(dense(p, 'd/out', feat), [-1]), proj);
}

function noise(rng: Rng, batch: number, zDim: number): tf.Tensor2D {
  return tf.tensor2d(rng.normals(batch * zDim), [batch, zDim]);
}

export function createGan(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  const b = new ParamBuilder(rng);
  addGenerator(b, 'g', cfg, vocabSize);
  const flat = addDownStack(b, 'd', cfg);
  const feat = channelPlan(cfg.size, cfg.channels)[0]!;
  b.dense('d/fc', flat + (cfg.mbstd ? 1 : 0), feat);
  b.dense('d/out', feat, 1);
  addTextEncoder(b, 'd/text', vocabSize, cfg.embDim, feat);
  const p = b.params;
  const names = (prefix: string) => Object.keys(p).filter((k) => k.startsWith(prefix));

  const fake = (batch: Batch, rng: Rng) => generate(p, 'g', noise(rng, batch.images.shape[0], cfg.zDim), batch.bags);
  const group = (batch: Batch) => mbstdGroup(batch.images.shape[0]);
  const judge = (x: tf.Tensor4D, batch: Batch, rng: Rng) => discriminate(p, diffAugment(x, cfg.augment, rng), batch.bags, group(batch));

  return {
    kind: 'gan',
    params: p,
    averaged: names('g/'),
    generate: drawImages,
    phases: [
      {
        name: 'd',
        vars: names('d/'),
        loss: (batch, rng) => {
          // Real and fake go through D as one batch of 2B: one forward and one backward pass instead
          // of two (fewer, larger kernels). The rng is drawn in the same order as judging them apart.
          const real = diffAugment(batch.images, cfg.augment, rng);
          const gen = diffAugment(fake(batch, rng), cfg.augment, rng);
          const scores = discriminate(p, tf.concat([real, gen]), tf.concat([batch.bags, batch.bags]), group(batch));
          const [onReal, onFake] = tf.split(scores, 2);
          return tf.add(tf.mean(tf.relu(tf.sub(1, onReal!))), tf.mean(tf.relu(tf.add(1, onFake!)))) as tf.Scalar;
        },
      },
      {
        name: 'g',
        vars: names('g/'),
        loss: (batch, rng) => tf.neg(tf.mean(judge(fake(batch, rng), batch, rng))) as tf.Scalar,
      },
    ],
  };
}
