import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../../../main/core/ml/backend';
import { tf } from '../../../../../main/core/ml/tf';
import { Rng } from '../../../../../shared/rng';

describe('leakyRelu gradient', () => {
  it.each(['wasm', 'cpu'])('equals the stock where(x > 0, dy, α·dy) exactly on %s, zeros included', async (backend) => {
    await initBackend({ force: backend });
    const rng = new Rng(3);
    const values = rng.normals(2 * 5 * 5 * 3);
    for (let i = 0; i < values.length; i += 7) values[i] = 0;
    const x = tf.tensor4d(values, [2, 5, 5, 3]);
    const dy = tf.tensor4d(rng.normals(values.length), [2, 5, 5, 3]);
    const got = tf.grad((t) => tf.leakyRelu(t, 0.2))(x, dy).dataSync();
    const want = tf.where(tf.greater(x, 0), dy, tf.mul(dy, 0.2)).dataSync();
    expect([...got]).toEqual([...want]);
    expect(new Set(got).size).toBeGreaterThan(values.length / 2);
  });
});
