// Conditional GAN for small datasets: FiLM-conditioned generator, projection discriminator
// (Miyato & Koyama 2018), hinge loss, DiffAugment on real and fake, EMA generator for sampling, and
// a mode-seeking term (Mao et al. 2019) that keeps one prompt's seeds apart.
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

function discriminate(p: Params, x: tf.Tensor4D, bags: tf.Tensor2D): tf.Tensor1D {
  // Flattened grid features keep where things are, which is most of what tells shapes apart.
  const h = downStack(p, 'd', x);
  const feat = lrelu(dense(p, 'd/fc', tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D));
  // Projection term, scaled so it starts on the same order as the unconditional output.
  const proj = tf.div(tf.sum(tf.mul(feat, encodeText(p, 'd/text', bags)), 1), Math.sqrt(feat.shape[1]));
  return tf.add(tf.reshape(dense(p, 'd/out', feat), [-1]), proj);
}

/**
 * Mode seeking: images x [2B, …] from noise z [2B, Z], where image i and i + B share a prompt. Large
 * when two seeds give nearly the same image, so minimising it spreads a prompt's images out.
 */
export function modeSeeking(x: tf.Tensor4D, z: tf.Tensor2D): tf.Scalar {
  const [x1, x2] = tf.split(x, 2);
  const [z1, z2] = tf.split(z, 2);
  const ratio = tf.div(tf.mean(tf.abs(tf.sub(x1!, x2!))), tf.mean(tf.abs(tf.sub(z1!, z2!))));
  return tf.div(1, tf.add(ratio, 1e-5));
}

function noise(rng: Rng, batch: number, zDim: number): tf.Tensor2D {
  return tf.tensor2d(rng.normals(batch * zDim), [batch, zDim]);
}

export function createGan(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  const b = new ParamBuilder(rng);
  addGenerator(b, 'g', cfg, vocabSize);
  const flat = addDownStack(b, 'd', cfg);
  const feat = channelPlan(cfg.size, cfg.channels)[0]!;
  b.dense('d/fc', flat, feat);
  b.dense('d/out', feat, 1);
  addTextEncoder(b, 'd/text', vocabSize, cfg.embDim, feat);
  const p = b.params;
  const names = (prefix: string) => Object.keys(p).filter((k) => k.startsWith(prefix));

  const fake = (batch: Batch, rng: Rng) => generate(p, 'g', noise(rng, batch.images.shape[0], cfg.zDim), batch.bags);
  const judge = (x: tf.Tensor4D, batch: Batch, rng: Rng) => discriminate(p, diffAugment(x, cfg.augment, rng, cfg.colorChance), batch.bags);

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
          const real = diffAugment(batch.images, cfg.augment, rng, cfg.colorChance);
          const gen = diffAugment(fake(batch, rng), cfg.augment, rng, cfg.colorChance);
          const scores = discriminate(p, tf.concat([real, gen]), tf.concat([batch.bags, batch.bags]));
          const [onReal, onFake] = tf.split(scores, 2);
          return tf.add(tf.mean(tf.relu(tf.sub(1, onReal!))), tf.mean(tf.relu(tf.add(1, onFake!)))) as tf.Scalar;
        },
      },
      {
        name: 'g',
        vars: names('g/'),
        loss: (batch, rng) => {
          if (cfg.modeSeeking === 0) return tf.neg(tf.mean(judge(fake(batch, rng), batch, rng))) as tf.Scalar;
          // Two seeds per prompt: the second half of the batch repeats the first half's captions.
          const half = Math.max(1, Math.floor(batch.images.shape[0] / 2));
          const bags = tf.slice(batch.bags, 0, half);
          const paired = { ...batch, bags: tf.concat([bags, bags]) };
          const z = noise(rng, 2 * half, cfg.zDim);
          const x = generate(p, 'g', z, paired.bags);
          const adversarial = tf.neg(tf.mean(judge(x, paired, rng)));
          return tf.add(adversarial, tf.mul(modeSeeking(x, z), cfg.modeSeeking)) as tf.Scalar;
        },
      },
    ],
  };
}
