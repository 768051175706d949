import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';

describe('wasm Identity shares the buffer', () => {
  it('a clone reads the same values, needs no new memory, and outlives its source', async () => {
    await initBackend({ force: 'wasm' });
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const buffers = () => tf.engine().backend.numDataIds();
    const before = buffers();
    const y = tf.clone(x);
    expect(buffers()).toBe(before);
    x.dispose();
    expect([...y.dataSync()]).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(buffers()).toBe(before - 1);
  });

  it('gradients through saved tensors are unchanged', async () => {
    await initBackend({ force: 'wasm' });
    const x = tf.tensor1d([0.5, -1, 2]);
    const g = tf.grad((t) => tf.sum(tf.mul(tf.square(t), t)))(x); // 3x²
    expect([...g.dataSync()]).toEqual([0.75, 3, 12]);
  });
});

describe('wasm LeakyRelu', () => {
  it('computes x < 0 ? α·x : x in float32, −0 and NaN included (α rounded to float32, as the stock kernel takes it)', async () => {
    await initBackend({ force: 'wasm' });
    const alpha = Math.fround(0.2);
    // 735 values leave a tail after 4-wide vectors; 70 001 are split between threads.
    for (const n of [735, 70_001]) {
      const values = new Rng(n).normals(n);
      for (let i = 0; i < n; i += 9) values[i] = 0;
      values.set([-0, NaN, Infinity, -Infinity, -1e-45], 1);
      const got = tf.tidy(() => tf.leakyRelu(tf.tensor1d(values), 0.2).dataSync() as Float32Array);
      const want = values.map((v) => (v < 0 ? Math.fround(alpha * v) : v));
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `${n} values`).toBe(true);
      expect(got.filter((v) => v < 0).length).toBeGreaterThan(n / 4);
    }
  });
});

describe('wasm Tanh', () => {
  it('is within float32 ulps of tanh, split between threads or not', async () => {
    await initBackend({ force: 'wasm' });
    // 735 values leave a tail after 4-wide vectors; 70 001 are split between threads.
    for (const n of [735, 70_001]) {
      const values = new Rng(n).normals(n, 3);
      const got = tf.tidy(() => tf.tanh(tf.tensor1d(values)).dataSync() as Float32Array);
      values.forEach((v, i) => expect(Math.abs(got[i]! - Math.tanh(v)), `tanh(${v})`).toBeLessThan(5e-7));
    }
    // and its gradient, 1 − tanh², still flows
    const g = tf.grad((t) => tf.sum(tf.tanh(t)))(tf.tensor1d([0, 1]));
    expect(Array.from(g.dataSync()).map((v) => v.toFixed(5))).toEqual(['1.00000', (1 - Math.tanh(1) ** 2).toFixed(5)]);
  });
});
