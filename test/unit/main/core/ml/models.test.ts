import { beforeAll, describe, expect, it } from 'vitest';
import { diffAugment } from '#core/ml/augment';
import { initBackend } from '#core/compute/backend';
import { createModel } from '#core/ml/models';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';
import { tinyConfig } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('models', () => {
  it.each([32, 64, 128] as const)('generate %i px RGB images in [-1, 1]', (size) => {
    for (const model of ['gan', 'vae'] as const) {
      const m = createModel(tinyConfig({ model, size }), 5, new Rng(1));
      const x = tf.tidy(() => m.generate!(m.params, tf.randomNormal([2, 8]), tf.zeros([2, 5])));
      expect(x.shape).toEqual([2, size, size, 3]);
      const [lo, hi] = [tf.min(x).dataSync()[0], tf.max(x).dataSync()[0]];
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      tf.dispose([x, ...Object.values(m.params)]);
    }
  });

  it('new generators up-sample by resize-conv; sub-pixel generators (older runs) still draw', () => {
    const resize = createModel(tinyConfig(), 5, new Rng(1));
    const subpixel = createModel(tinyConfig({ upsample: 'subpixel' }), 5, new Rng(1));
    expect(resize.params['g/up1/w']!.shape[3]).toBe(resize.params['g/film1/b']!.shape[0] / 2);
    expect(subpixel.params['g/up1/w']!.shape[3]).toBe(2 * subpixel.params['g/film1/b']!.shape[0]);
    for (const m of [resize, subpixel]) {
      const x = tf.tidy(() => m.generate!(m.params, tf.randomNormal([2, 8]), tf.zeros([2, 5])));
      expect(x.shape).toEqual([2, 32, 32, 3]);
      tf.dispose([x, ...Object.values(m.params)]);
    }
  });

  it('same seed, same initial weights', () => {
    const a = createModel(tinyConfig(), 5, new Rng(9));
    const b = createModel(tinyConfig(), 5, new Rng(9));
    for (const k of Object.keys(a.params)) expect(a.params[k]!.dataSync()).toEqual(b.params[k]!.dataSync());
  });
});

describe('DiffAugment', () => {
  const img = () => tf.tensor4d(new Rng(4).normals(2 * 8 * 8 * 3), [2, 8, 8, 3]);

  it('is reproducible from the rng state and changes the images', () => {
    const a = tf.tidy(() => diffAugment(img(), ['color', 'translation', 'cutout'], new Rng(1)).dataSync());
    const b = tf.tidy(() => diffAugment(img(), ['color', 'translation', 'cutout'], new Rng(1)).dataSync());
    const orig = tf.tidy(() => img().dataSync());
    expect(a).toEqual(b);
    expect(a).not.toEqual(orig);
  });

  it('translation moves pixels without changing their values', () => {
    const x = tf.tensor4d(
      Float32Array.from({ length: 16 * 16 }, (_, i) => (i === 8 * 16 + 8 ? 1 : 0)),
      [1, 16, 16, 1],
    );
    const y = tf.tidy(() => diffAugment(x, ['translation'], new Rng(3)).dataSync());
    expect([...y].filter((v) => v === 1)).toHaveLength(1);
    expect([...y].filter((v) => v !== 0 && v !== 1)).toHaveLength(0);
  });

  it("translation's gradient is its exact adjoint: <T x, r> = <x, Tᵀ r>", () => {
    const x = tf.tensor4d(new Rng(7).normals(3 * 16 * 16 * 2), [3, 16, 16, 2]);
    const r = tf.tensor4d(new Rng(8).normals(3 * 16 * 16 * 2), [3, 16, 16, 2]);
    const forward = tf.tidy(() => tf.sum(tf.mul(diffAugment(x, ['translation'], new Rng(9)), r)).dataSync()[0]);
    const g = tf.grad((t) => tf.sum(tf.mul(diffAugment(t as tf.Tensor4D, ['translation'], new Rng(9)), r)))(x);
    const adjoint = tf.sum(tf.mul(x, g)).dataSync()[0];
    expect(Math.abs(forward!)).toBeGreaterThan(1);
    expect(adjoint).toBeCloseTo(forward!, 4);
    // Zero fill: the pixels shifted out get no gradient, so Tᵀ r is not just r moved around.
    expect(tf.sum(tf.square(g)).dataSync()[0]).toBeLessThan(tf.sum(tf.square(r)).dataSync()[0]!);
  });

  it("colour is DiffAugment's brightness, saturation and contrast in turn, values and gradient", () => {
    // The step-by-step form, with the per-image factors drawn in the same order from the same seed.
    const steps = (x: tf.Tensor4D, rng: Rng) => {
      const per = (f: () => number) => tf.tensor4d(Float32Array.from({ length: x.shape[0] }, f), [x.shape[0], 1, 1, 1]);
      let y = tf.add(
        x,
        per(() => rng.float() - 0.5),
      );
      const grey = tf.mean(y, 3, true);
      y = tf.add(
        tf.mul(
          tf.sub(y, grey),
          per(() => rng.float() * 2),
        ),
        grey,
      );
      const mean = tf.mean(y, [1, 2, 3], true);
      return tf.add(
        tf.mul(
          tf.sub(y, mean),
          per(() => rng.float() + 0.5),
        ),
        mean,
      );
    };
    const x = tf.tensor4d(new Rng(6).normals(3 * 8 * 8 * 3), [3, 8, 8, 3]);
    const r = tf.tensor4d(new Rng(7).normals(3 * 8 * 8 * 3), [3, 8, 8, 3]);
    const close = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    const [got, want] = [diffAugment(x, ['color'], new Rng(11)), steps(x, new Rng(11))];
    expect(close(got, want)).toBeLessThan(1e-5);
    expect(close(got, x)).toBeGreaterThan(0.1);
    const grad = (f: (t: tf.Tensor4D) => tf.Tensor) => tf.grad((t) => tf.sum(tf.mul(f(t as tf.Tensor4D), r)))(x);
    expect(
      close(
        grad((t) => diffAugment(t, ['color'], new Rng(11))),
        grad((t) => steps(t, new Rng(11))),
      ),
    ).toBeLessThan(1e-5);
  });

  it('colour at a chance below 1 recolours only some images and leaves the rest exactly as they were', () => {
    const x = tf.tensor4d(new Rng(12).normals(40 * 4 * 4 * 3), [40, 4, 4, 3]);
    const per = 4 * 4 * 3;
    const unchanged = (y: Float32Array) => {
      const orig = x.dataSync();
      return Array.from({ length: 40 }, (_, n) =>
        y.subarray(n * per, (n + 1) * per).every((v, i) => Math.abs(v - orig[n * per + i]!) < 1e-6),
      );
    };
    const count = (chance: number) =>
      unchanged(tf.tidy(() => diffAugment(x, ['color'], new Rng(13), chance).dataSync() as Float32Array)).filter(Boolean).length;
    expect(count(0)).toBe(40);
    expect(count(1)).toBe(0);
    const half = count(0.5);
    expect(half).toBeGreaterThan(10);
    expect(half).toBeLessThan(30);
    // Chance 1 spends no draw on the choice: the same images as before the setting existed.
    expect(tf.tidy(() => diffAugment(x, ['color'], new Rng(13), 1).dataSync())).toEqual(
      tf.tidy(() => diffAugment(x, ['color'], new Rng(13)).dataSync()),
    );
  });

  it('has gradients for fake images (the generator learns through it)', () => {
    const x = img();
    const g = tf.grad((t) => tf.sum(diffAugment(t as tf.Tensor4D, ['color', 'translation', 'cutout'], new Rng(2))))(x);
    expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
  });
});
