import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../../main/core/ml/backend';
import { tf } from '../../../../../main/core/ml/tf';
import { Rng } from '../../../../../shared/rng';

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

describe('wasm LeakyRelu through Prelu', () => {
  it('computes x < 0 ? α·x : x in float32 (α rounded to float32, as the stock wasm kernel takes it)', async () => {
    await initBackend({ force: 'wasm' });
    const values = new Rng(5).normals(3 * 7 * 7 * 5);
    for (let i = 0; i < values.length; i += 9) values[i] = 0;
    const got = tf.tidy(() => [...tf.leakyRelu(tf.tensor4d(values, [3, 7, 7, 5]), 0.2).dataSync()]);
    const alpha = Math.fround(0.2);
    expect(got).toEqual([...values].map((v) => (v < 0 ? Math.fround(alpha * v) : v)));
    expect(got.filter((v) => v < 0).length).toBeGreaterThan(values.length / 4);
  });
});
