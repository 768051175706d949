import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { createGan, discriminate } from '#core/ml/gan';
import { modeSeeking, nudge, r1Estimate } from '#core/ml/regularizers';
import { Rng } from '#shared/rng';
import { TINY_VOCAB, tinyConfig } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('R1 estimate', () => {
  it("averages to the squared norm of the discriminator's input gradient", () => {
    const m = createGan(tinyConfig({ size: 16 }), TINY_VOCAB, new Rng(3));
    const x = tf.clipByValue(tf.tensor4d(new Rng(5).normals(2 * 16 * 16 * 3), [2, 16, 16, 3]), -1, 1);
    const bags = tf.tensor2d([0, 1, 0, 0, 0, 1], [2, TINY_VOCAB]);
    const d = (input: tf.Tensor4D) => discriminate(m.params, input, bags);
    const exact = tf.tidy(() => {
      const g = tf.grad((input: tf.Tensor) => tf.sum(d(input as tf.Tensor4D)))(x);
      return tf.mean(tf.sum(tf.square(g), [1, 2, 3])).dataSync()[0]!;
    });
    const rng = new Rng(7);
    const draws = 400;
    let sum = 0;
    for (let i = 0; i < draws; i++) sum += tf.tidy(() => r1Estimate(d(x), d(nudge(x, rng))).dataSync()[0]!);
    expect(exact).toBeGreaterThan(0);
    // One draw has the variance of a χ² with one degree of freedom (2·exact²): 400 give about ±7 %.
    expect(sum / draws / exact).toBeGreaterThan(0.8);
    expect(sum / draws / exact).toBeLessThan(1.2);
  });

  it('is zero for a discriminator that ignores its input, and the D loss adds it only when asked', () => {
    const flat = tf.tensor1d([0.3, -2]);
    expect(r1Estimate(flat, flat).dataSync()[0]).toBe(0);
    const images = tf.clipByValue(tf.tensor4d(new Rng(1).normals(4 * 32 * 32 * 3), [4, 32, 32, 3]), -1, 1);
    const batch = { images, bags: tf.tensor2d([0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1], [4, TINY_VOCAB]), step: 0 };
    const dLoss = (r1: number) => {
      const m = createGan(tinyConfig({ r1, augment: [] }), TINY_VOCAB, new Rng(2));
      return tf.tidy(() => m.phases[0]!.loss(batch, new Rng(4)).dataSync()[0]!);
    };
    // Same weights and the same fakes (the nudge is drawn after them): the difference is the penalty.
    expect(dLoss(10)).toBeGreaterThan(dLoss(0));
  });
});

describe('mode seeking', () => {
  it('is 1 / (mean image distance ÷ mean noise distance) between the two halves', () => {
    const x = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1], [2, 2, 2, 1]);
    const z = tf.tensor2d([0, 0, 2, 2], [2, 2]);
    // Images differ by 1 per pixel, noises by 2 per dimension: ratio 0.5, term 2.
    expect(modeSeeking(x, z).dataSync()[0]).toBeCloseTo(2, 3);
    const same = tf.tensor4d([0.5, 0.5, 0.5, 0.5], [2, 1, 2, 1]);
    expect(modeSeeking(same, z).dataSync()[0]).toBeGreaterThan(1e4);
  });

  it("pairs prompts in the generator's loss: with the term on, the loss adds it", () => {
    const batch = {
      images: tf.zeros([4, 32, 32, 3]) as tf.Tensor4D,
      bags: tf.tensor2d([0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1], [4, TINY_VOCAB]),
      step: 0,
    };
    const gLoss = (modeSeeking: number) => {
      const m = createGan(tinyConfig({ modeSeeking, augment: [] }), TINY_VOCAB, new Rng(2));
      return tf.tidy(() => m.phases[1]!.loss(batch, new Rng(4)).dataSync()[0]!);
    };
    const without = gLoss(0);
    const withTerm = gLoss(1);
    expect(Number.isFinite(withTerm)).toBe(true);
    expect(withTerm).toBeGreaterThan(without);
  });
});
