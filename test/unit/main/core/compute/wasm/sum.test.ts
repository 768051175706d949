// Sums over every axis but the last go through our kernel on wasm; the rest stay on tfjs's.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';

const rng = new Rng(4);
const x = { shape: [8, 16, 16, 32] as const, data: rng.normals(8 * 16 * 16 * 32) };

async function onBoth(f: (t: tf.Tensor) => tf.Tensor): Promise<{ wasm: tf.Tensor; cpu: number[] }> {
  await initBackend({ force: 'cpu' });
  const cpu = tf.tidy(() => Array.from(f(tf.tensor(x.data, [...x.shape])).dataSync()));
  await initBackend({ force: 'wasm' });
  return { wasm: tf.tidy(() => f(tf.tensor(x.data, [...x.shape]))), cpu };
}

function expectClose(got: tf.Tensor, want: number[]): void {
  const g = got.dataSync();
  expect(g.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(g[i]! - w)).toBeLessThan(1e-4 * (1 + Math.abs(w))));
}

describe('Sum on wasm', () => {
  it('over every axis but the last: the bias gradient, with and without keepDims', async () => {
    for (const keepDims of [false, true]) {
      const { wasm, cpu } = await onBoth((t) => tf.sum(t, [0, 1, 2], keepDims));
      expect(wasm.shape).toEqual(keepDims ? [1, 1, 1, 32] : [32]);
      expectClose(wasm, cpu);
      wasm.dispose();
    }
  });

  it('over the same axes given in another order or as negatives', async () => {
    const { wasm, cpu } = await onBoth((t) => tf.sum(t, [2, -4, 1]));
    expect(wasm.shape).toEqual([32]);
    expectClose(wasm, cpu);
    wasm.dispose();
  });

  it('over other axes and of int32 tensors, through tfjs kernel', async () => {
    for (const f of [(t: tf.Tensor) => tf.sum(t, -1), (t: tf.Tensor) => tf.sum(t), (t: tf.Tensor) => tf.sum(t, [0, 1])]) {
      const { wasm, cpu } = await onBoth(f);
      expectClose(wasm, cpu);
      wasm.dispose();
    }
    await initBackend({ force: 'wasm' });
    expect(Array.from(tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), 0).dataSync())).toEqual([4, 6]);
  });

  it('gives the bias gradient a conv layer needs', async () => {
    const { wasm, cpu } = await onBoth((t) => tf.grad((b) => tf.sum(tf.square(tf.add(t, b))))(tf.zeros([32])));
    expectClose(wasm, cpu);
    wasm.dispose();
  });
});
