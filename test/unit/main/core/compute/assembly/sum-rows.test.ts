// The column-sum kernel on its own: every compiled variant against a float64 loop, any column split.
import { describe, expect, it } from 'vitest';
import { splitRange } from '#core/compute/wasm/runner';
import { Rng } from '#shared/rng';
import { VARIANTS, instantiate, maxAbsDiff } from './conv-cases';

// Column counts for each pass width (16, 4, 1) and row counts on both sides of a 256-row block.
const shapes: [number, number][] = [
  [1, 1],
  [5, 3],
  [300, 20],
  [1000, 37],
  [257, 16],
  [64, 64],
];

function sums(rows: number, cols: number, x: Float32Array, shared: boolean, relaxed: boolean, parts: number[][]) {
  const { kernels, heap } = instantiate(shared, relaxed);
  const po = 16 + x.length + 16;
  heap.set(x, 16);
  heap.fill(NaN, po, po + cols + 4);
  for (const part of parts) kernels.sumRows!(4 * 16, 4 * po, rows, cols, ...part);
  return { got: heap.slice(po, po + cols), after: heap.slice(po + cols, po + cols + 4) };
}

describe('sumRows kernel', () => {
  const rng = new Rng(9);
  const data = shapes.map(([rows, cols]) => {
    const x = rng.normals(rows * cols);
    const want = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[c]! += x[r * cols + c]!;
    return { rows, cols, x, want };
  });

  it.each(VARIANTS)('matches a float64 loop: %s', (_label, { shared, relaxed }) => {
    for (const { rows, cols, x, want } of data) {
      const { got, after } = sums(rows, cols, x, shared, relaxed, [[0, cols]]);
      expect(maxAbsDiff(got, want), `${rows}×${cols}`).toBeLessThan(1e-3);
      expect(Array.from(after).every(Number.isNaN), `${rows}×${cols}: wrote past the sums`).toBe(true);
    }
  });

  it('gives the same bytes for any column split', () => {
    for (const { rows, cols, x } of data) {
      const one = sums(rows, cols, x, true, true, [[0, cols]]).got;
      for (const [unit, parts] of [
        [16, 2],
        [4, 3],
        [1, 5],
      ]) {
        const split = sums(rows, cols, x, true, true, splitRange(cols, unit!, parts!)).got;
        expect(Buffer.from(split.buffer).equals(Buffer.from(one.buffer)), `${rows}×${cols} in ${unit}s`).toBe(true);
      }
    }
  });
});
