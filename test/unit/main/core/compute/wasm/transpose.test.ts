// Transposes on wasm: swaps of two adjacent axes run our row-copying kernel and give exactly the cpu
// backend's result; other permutations, short rows and int32 go through tfjs's kernel, also exactly.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { swappedAxis } from '#core/compute/wasm/transpose';
import { Rng } from '#shared/rng';

// [shape, perm]: depth-to-space (rows of 2·C, one large enough to split over threads), a swap with a
// row that leaves a tail after 4-wide moves, a swap of the first axes, a 2-D transpose (rows of one),
// and a permutation that is not a swap.
const CASES: [number[], number[]][] = [
  [
    [2, 3, 4, 2, 2, 8],
    [0, 1, 3, 2, 4, 5],
  ],
  [
    [16, 32, 32, 2, 2, 16],
    [0, 1, 3, 2, 4, 5],
  ],
  [
    [3, 5, 7, 6],
    [0, 2, 1, 3],
  ],
  [
    [4, 6, 5],
    [1, 0, 2],
  ],
  [
    [9, 13],
    [1, 0],
  ],
  [
    [2, 3, 4, 5],
    [0, 3, 1, 2],
  ],
];

describe('Transpose on wasm', () => {
  it('recognises swaps of two adjacent axes', () => {
    expect(CASES.map(([, perm]) => swappedAxis(perm))).toEqual([2, 2, 1, 0, 0, -1]);
    expect(swappedAxis([0, 1, 2])).toBe(-1);
    expect(swappedAxis([1, 0, 3, 2])).toBe(-1);
  });

  it('gives the cpu backend bytes, float32 and int32', async () => {
    const rng = new Rng(3);
    const data = CASES.map(([shape]) => rng.normals(shape.reduce((a, b) => a * b)));
    const run = () =>
      CASES.flatMap(([shape, perm], i) =>
        tf.tidy(() => {
          const x = tf.tensor(data[i]!, shape);
          return [tf.transpose(x, perm), tf.transpose(tf.cast(tf.mul(x, 100), 'int32'), perm)].map((t) => Buffer.from(t.dataSync().buffer));
        }),
      );
    await initBackend({ force: 'cpu' });
    const want = run();
    await initBackend({ force: 'wasm' });
    const got = run();
    got.forEach((g, i) => expect(g.equals(want[i]!), `case ${Math.floor(i / 2)} ${i % 2 ? 'int32' : 'float32'}`).toBe(true));
  });
});
