// Conditional VAE: encoder(image, prompt) → μ, log σ²; decoder(z, prompt) is the same generator as
// the GAN's; loss = reconstruction + KL, with the KL weight warmed up from 0 over `klWarmup` steps.
// The plain autoencoder (`ae`) is the same network with the KL term off: z = μ, no sampling, no log σ².
import type { Rng } from '#shared/rng';
import type { TrainConfig } from './config';
import { addDownStack, downStack } from './encoder';
import { addGenerator, drawImages, generate } from './generator';
import { dense } from './layers';
import type { Model } from './model';
import { ParamBuilder, type Params } from './params';
import { addTextEncoder, encodeText } from './text';
import { tf } from '../compute/tf';

/** Image features and the prompt's condition, side by side: what μ and log σ² read. */
function encoderInput(p: Params, images: tf.Tensor4D, bags: tf.Tensor2D): tf.Tensor2D {
  const [n] = images.shape;
  const h = tf.reshape(downStack(p, 'e', images), [n, -1]);
  return tf.concat([h, encodeText(p, 'e/text', bags)], 1) as tf.Tensor2D;
}

/** The code of images [B, S, S, 3] in [-1, 1] under prompts bags [B, V]: the AE's z, the VAE's mean. */
export function encodeMean(p: Params, images: tf.Tensor4D, bags: tf.Tensor2D): tf.Tensor2D {
  return dense(p, 'e/mu', encoderInput(p, images, bags));
}

export function createVae(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  const variational = cfg.model !== 'ae';
  const b = new ParamBuilder(rng);
  addGenerator(b, 'g', cfg, vocabSize);
  const flat = addDownStack(b, 'e', cfg);
  addTextEncoder(b, 'e/text', vocabSize, cfg.embDim, cfg.embDim);
  b.dense('e/mu', flat + cfg.embDim, cfg.zDim, 0.1);
  if (variational) b.dense('e/logvar', flat + cfg.embDim, cfg.zDim, 0.1);
  const p = b.params;

  return {
    kind: variational ? 'vae' : 'ae',
    params: p,
    averaged: Object.keys(p).filter((k) => k.startsWith('g/')),
    generate: drawImages,
    phases: [
      {
        name: variational ? 'vae' : 'ae',
        vars: Object.keys(p),
        loss: (batch, rng) => {
          const [n] = batch.images.shape;
          const recon = (z: tf.Tensor2D) => tf.div(tf.sum(tf.square(tf.sub(generate(p, 'g', z, batch.bags), batch.images))), n);
          if (!variational) return recon(encodeMean(p, batch.images, batch.bags)) as tf.Scalar;
          const x = encoderInput(p, batch.images, batch.bags);
          const mu = dense(p, 'e/mu', x);
          const logvar = dense(p, 'e/logvar', x);
          const eps = tf.tensor2d(rng.normals(n * cfg.zDim), [n, cfg.zDim]);
          const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
          const kl = tf.div(tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logvar), tf.add(tf.square(mu), tf.exp(logvar))))), n);
          const beta = cfg.klWarmup > 0 ? cfg.klWeight * Math.min(1, batch.step / cfg.klWarmup) : cfg.klWeight;
          return tf.add(recon(z), tf.mul(kl, beta)) as tf.Scalar;
        },
      },
    ],
  };
}
