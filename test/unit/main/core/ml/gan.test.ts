import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { createGan, modeSeeking } from '#core/ml/gan';
import { Rng } from '#shared/rng';
import { TINY_VOCAB, tinyConfig } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('mode seeking', () => {
  it('is 1 / (mean image distance ÷ mean noise distance) between the two halves', () => {
    const x = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1], [2, 2, 2, 1]);
    const z = tf.tensor2d([0, 0, 2, 2], [2, 2]);
    // Images differ by 1 per pixel, noises by 2 per dimension: ratio 0.5, term 2.
    expect(modeSeeking(x, z).dataSync()[0]).toBeCloseTo(2, 3);
    const same = tf.tensor4d([0.5, 0.5, 0.5, 0.5], [2, 1, 2, 1]);
    expect(modeSeeking(same, z).dataSync()[0]).toBeGreaterThan(1e4);
    tf.dispose([x, z, same]);
  });

  it("adds the term to the generator's loss when its weight is above 0", () => {
    const batch = {
      images: tf.zeros([4, 32, 32, 3]) as tf.Tensor4D,
      bags: tf.tensor2d([0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1], [4, TINY_VOCAB]),
      step: 0,
    };
    const gLoss = (weight: number) => {
      const m = createGan(tinyConfig({ modeSeeking: weight, augment: [] }), TINY_VOCAB, new Rng(2));
      const loss = tf.tidy(() => m.phases[1]!.loss(batch, new Rng(4)).dataSync()[0]!);
      tf.dispose(Object.values(m.params));
      return loss;
    };
    const [without, withTerm] = [gLoss(0), gLoss(1)];
    expect(Number.isFinite(withTerm)).toBe(true);
    // The same weights: the difference is the term, 1 / ratio, which is positive.
    expect(withTerm).toBeGreaterThan(without);
    tf.dispose([batch.images, batch.bags]);
  });
});
