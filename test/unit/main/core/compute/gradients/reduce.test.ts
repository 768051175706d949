import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { installWasmGradPatch } from '#core/compute/gradients/patch';
import { Rng } from '#shared/rng';

const cases: { axis: number | number[]; keepDims: boolean }[] = [
  { axis: -1, keepDims: true },
  { axis: [0, 1, 2], keepDims: false },
  { axis: [1, 2, 3], keepDims: true },
  { axis: 0, keepDims: false },
];

describe('sum and mean gradients', () => {
  it.each(['wasm', 'cpu'])('equal the stock mul(dy, ones) forms exactly on %s', async (backend) => {
    await initBackend({ force: backend });
    installWasmGradPatch(); // global registry: the cpu run uses the overrides too
    const rng = new Rng(11);
    const x = tf.tensor4d(rng.normals(3 * 4 * 5 * 6), [3, 4, 5, 6]);
    for (const { axis, keepDims } of cases) {
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
      const reduced = tf.sum(x, axis, keepDims);
      const dy = tf.tensor(rng.normals(reduced.size), reduced.shape);
      const sumGot = tf
        .grad((t) => tf.sum(t, axis, keepDims))(x, dy)
        .dataSync();
      const meanGot = tf
        .grad((t) => tf.mean(t, axis, keepDims))(x, dy)
        .dataSync();
      const sumWant = tf.mul(tf.reshape(dy, shape), tf.ones(x.shape)).dataSync();
      const meanWant = tf.div(tf.mul(tf.reshape(dy, shape), tf.ones(x.shape)), count).dataSync();
      expect([...sumGot], JSON.stringify(axis)).toEqual([...sumWant]);
      expect([...meanGot], JSON.stringify(axis)).toEqual([...meanWant]);
      expect(new Set(sumGot).size).toBe(dy.size);
    }
  });
});
