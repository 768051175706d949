import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { createModel } from '#core/ml/models';
import { tf } from '#core/compute/tf';
import { initState, trainStep } from '#core/ml/train';
import { encodeMean } from '#core/ml/vae';
import { Rng } from '#shared/rng';
import { TINY_VOCAB, tinyConfig, tinyData } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('plain autoencoder (--model ae)', () => {
  it('is the VAE network without the log-variance head', () => {
    const ae = createModel(tinyConfig({ model: 'ae' }), TINY_VOCAB, new Rng(1));
    const vae = createModel(tinyConfig({ model: 'vae' }), TINY_VOCAB, new Rng(1));
    expect(ae.kind).toBe('ae');
    expect(ae.phases.map((p) => p.name)).toEqual(['ae']);
    expect(Object.keys(vae.params).filter((k) => !(k in ae.params))).toEqual(['e/logvar/w', 'e/logvar/b']);
    expect(Object.keys(ae.params).every((k) => k in vae.params)).toBe(true);
  });

  it('has a deterministic loss (no sampling, no KL): the same batch gives the same loss whatever the rng', () => {
    const cfg = tinyConfig({ model: 'ae' });
    const m = createModel(cfg, TINY_VOCAB, new Rng(2));
    const data = tinyData(32, 4);
    const batch = {
      images: tf.sub(tf.div(tf.tensor4d(Float32Array.from(data.images), [4, 32, 32, 3]), 127.5), 1) as tf.Tensor4D,
      bags: tf.tensor2d(data.bags, [4, TINY_VOCAB]),
      step: 0,
    };
    const loss = (seed: number) => tf.tidy(() => m.phases[0]!.loss(batch, new Rng(seed)).dataSync()[0]);
    expect(loss(1)).toBe(loss(2));
    // The loss is the summed squared reconstruction error per image.
    const expected = tf.tidy(() => {
      const z = encodeMean(m.params, batch.images, batch.bags);
      return tf.div(tf.sum(tf.square(tf.sub(m.generate!(m.params, z, batch.bags), batch.images))), 4).dataSync()[0];
    });
    expect(loss(1)).toBeCloseTo(expected!, 3);
    tf.dispose([batch.images, batch.bags]);
  });

  it('learns: 30 steps on two images cut the reconstruction loss by more than half', () => {
    const cfg = tinyConfig({ model: 'ae', lr: 2e-3 });
    const s = initState(createModel(cfg, TINY_VOCAB, new Rng(3)), 3);
    const data = tinyData(32, 2);
    const first = trainStep(s, data, cfg).ae;
    let last = first;
    for (let i = 0; i < 30; i++) last = trainStep(s, data, cfg).ae;
    expect(last).toBeLessThan(first! / 2);
  });
});
