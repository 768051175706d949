import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';

describe('leakyRelu gradient', () => {
  // 150 values leave a tail after 4-wide vectors; 70 001 are split between threads on wasm.
  it.each(['wasm', 'cpu'])('equals the stock where(x > 0, dy, α·dy) exactly on %s, zeros included', async (backend) => {
    await initBackend({ force: backend });
    const rng = new Rng(3);
    for (const shape of [[2, 5, 5, 3], [70_001]]) {
      const values = rng.normals(shape.reduce((a, b) => a * b));
      for (let i = 0; i < values.length; i += 7) values[i] = 0;
      const x = tf.tensor(values, shape);
      const dy = tf.tensor(rng.normals(values.length), shape);
      const got = tf
        .grad((t) => tf.leakyRelu(t, 0.2))(x, dy)
        .dataSync();
      const want = tf.where(tf.greater(x, 0), dy, tf.mul(dy, 0.2)).dataSync();
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), `${shape}`).toBe(true);
      expect(new Set(got).size).toBeGreaterThan(values.length / 2);
    }
  });
});
