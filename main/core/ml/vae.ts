// Conditional VAE: encoder(image, prompt) → μ, log σ²; decoder(z, prompt) is the same generator as
// the GAN's; loss = reconstruction + KL, with the KL weight warmed up from 0 over `klWarmup` steps.
import type { Rng } from '../../../shared/rng';
import type { TrainConfig } from './config';
import { addDownStack, downStack } from './encoder';
import { addGenerator, drawImages, generate } from './generator';
import { dense } from './layers';
import type { Model } from './model';
import { ParamBuilder } from './params';
import { addTextEncoder, encodeText } from './text';
import { tf } from './tf';

export function createVae(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  const b = new ParamBuilder(rng);
  addGenerator(b, 'g', cfg, vocabSize);
  const feat = addDownStack(b, 'e', cfg);
  addTextEncoder(b, 'e/text', vocabSize, cfg.embDim, cfg.embDim);
  b.dense('e/mu', 16 * feat + cfg.embDim, cfg.zDim, 0.1);
  b.dense('e/logvar', 16 * feat + cfg.embDim, cfg.zDim, 0.1);
  const p = b.params;

  return {
    kind: 'vae',
    params: p,
    averaged: Object.keys(p).filter((k) => k.startsWith('g/')),
    generate: drawImages,
    phases: [
      {
        name: 'vae',
        vars: Object.keys(p),
        loss: (batch, rng) => {
          const [n] = batch.images.shape;
          const h = tf.reshape(downStack(p, 'e', batch.images), [n, -1]);
          const x = tf.concat([h, encodeText(p, 'e/text', batch.bags)], 1) as tf.Tensor2D;
          const mu = dense(p, 'e/mu', x);
          const logvar = dense(p, 'e/logvar', x);
          const eps = tf.tensor2d(rng.normals(n * cfg.zDim), [n, cfg.zDim]);
          const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
          const recon = tf.div(tf.sum(tf.square(tf.sub(generate(p, 'g', z, batch.bags), batch.images))), n);
          const kl = tf.div(tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logvar), tf.add(tf.square(mu), tf.exp(logvar))))), n);
          const beta = cfg.klWarmup > 0 ? cfg.klWeight * Math.min(1, batch.step / cfg.klWarmup) : cfg.klWeight;
          return tf.add(recon, tf.mul(kl, beta)) as tf.Scalar;
        },
      },
    ],
  };
}
