import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { mbstdGroup, withMbstd } from '#core/ml/gan';
import { createModel } from '#core/ml/models';
import { Rng } from '#shared/rng';
import { tinyConfig } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('minibatch standard deviation', () => {
  it('groups of at most 4 that divide the batch', () => {
    expect([16, 8, 6, 5, 3, 2, 1].map(mbstdGroup)).toEqual([4, 4, 3, 1, 3, 2, 1]);
  });

  it('appends the mean over features of the per-group standard deviation', () => {
    // Group 1: rows (0, 0) and (2, 4) → stds 1 and 2 → 1.5. Group 2: two equal rows → 0.
    const flat = tf.tensor2d([0, 0, 2, 4, 5, 5, 5, 5], [4, 2]);
    const out = withMbstd(flat, 2);
    expect(out.shape).toEqual([4, 3]);
    const col = Array.from(out.dataSync()).filter((_, i) => i % 3 === 2);
    col.forEach((v, i) => expect(v).toBeCloseTo([1.5, 1.5, 0, 0][i]!, 3));
    expect(Array.from(out.dataSync()).filter((_, i) => i % 3 !== 2)).toEqual([0, 0, 2, 4, 5, 5, 5, 5]);
    tf.dispose([flat, out]);
  });

  it('new discriminators see it; ones built without it (older runs) still judge', () => {
    const withIt = createModel(tinyConfig({ model: 'gan' }), 3, new Rng(1));
    const without = createModel(tinyConfig({ model: 'gan', mbstd: false }), 3, new Rng(1));
    expect(withIt.params['d/fc/w']!.shape[0]).toBe(without.params['d/fc/w']!.shape[0] + 1);
    const batch = { images: tf.zeros([4, 32, 32, 3]) as tf.Tensor4D, bags: tf.zeros([4, 3]) as tf.Tensor2D, step: 0 };
    for (const m of [withIt, without]) {
      for (const phase of m.phases) {
        const loss = tf.tidy(() => phase.loss(batch, new Rng(2)));
        expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
        loss.dispose();
      }
      tf.dispose(Object.values(m.params));
    }
    tf.dispose([batch.images, batch.bags]);
  });

  it('tells a batch of copies from a varied batch: the feature is 0 for copies', () => {
    const copies = tf.tile(tf.randomNormal([1, 6], 0, 1, 'float32', 3), [4, 1]) as tf.Tensor2D;
    const varied = tf.randomNormal([4, 6], 0, 1, 'float32', 4) as tf.Tensor2D;
    const [a, b] = [withMbstd(copies, 4), withMbstd(varied, 4)];
    expect(a.dataSync()[6]).toBeCloseTo(0, 3);
    expect(b.dataSync()[6]).toBeGreaterThan(0.3);
    tf.dispose([copies, varied, a, b]);
  });
});
