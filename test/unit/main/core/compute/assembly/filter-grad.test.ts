// The AssemblyScript filter-gradient kernel on its own: every compiled variant against a float64 loop,
// and the same bytes however its channels are split between threads.
import { describe, expect, it } from 'vitest';
import { splitChannels } from '#core/compute/wasm/filter-grad';
import { Rng } from '#shared/rng';
import { type Conv, VARIANTS, instantiate, maxAbsDiff } from './conv-cases';

// Channel counts that hit every tile: 4×8 and its leftovers (ci % 4 of 1, 2 or 3; co % 8 of up to 4 with
// ci of 8 and more, or of more than 4), and the ci split (co < 16).
const convs: Conv[] = [
  { label: '3×3 s1 same, 6→20', x: [2, 7, 9, 6], k: [3, 3], co: 20, stride: [1, 1], top: 1, left: 1, out: [7, 9] },
  { label: '3×3 s2 same, 8→16', x: [3, 8, 8, 8], k: [3, 3], co: 16, stride: [2, 2], top: 0, left: 0, out: [4, 4] },
  { label: '4×3 s(2,1) valid, 12→3', x: [2, 9, 6, 12], k: [4, 3], co: 3, stride: [2, 1], top: 0, left: 0, out: [3, 4] },
  { label: '5×5 s2 pad 2, 3→24', x: [1, 10, 11, 3], k: [5, 5], co: 24, stride: [2, 2], top: 2, left: 2, out: [5, 6] },
  { label: '2×2 s1 past the edge, 4→8', x: [2, 5, 5, 4], k: [2, 2], co: 8, stride: [1, 1], top: 1, left: 0, out: [6, 4] },
  { label: '3×3 s1 same, 16→3 (to an image)', x: [2, 6, 6, 16], k: [3, 3], co: 3, stride: [1, 1], top: 1, left: 1, out: [6, 6] },
  { label: '3×3 s2 same, 3→16 (from an image)', x: [2, 8, 8, 3], k: [3, 3], co: 16, stride: [2, 2], top: 0, left: 0, out: [4, 4] },
  { label: '3×3 s1 same, 21→4', x: [1, 5, 4, 21], k: [3, 3], co: 4, stride: [1, 1], top: 1, left: 1, out: [5, 4] },
  { label: '1×1, 10→1', x: [3, 4, 4, 10], k: [1, 1], co: 1, stride: [1, 1], top: 0, left: 0, out: [4, 4] },
  { label: '3×3 s1 same, 2→13', x: [2, 4, 5, 2], k: [3, 3], co: 13, stride: [1, 1], top: 1, left: 1, out: [4, 5] },
];

function reference(c: Conv, x: Float32Array, dy: Float32Array): Float64Array {
  const [n, h, w, ci] = c.x;
  const [kh, kw] = c.k;
  const [ho, wo] = c.out;
  const dw = new Float64Array(kh * kw * ci * c.co);
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < c.co; o++) {
          let s = 0;
          for (let m = 0; m < n; m++)
            for (let p = 0; p < ho; p++)
              for (let q = 0; q < wo; q++) {
                const [iy, ix] = [p * c.stride[0] + a - c.top, q * c.stride[1] + b - c.left];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                s += x[((m * h + iy) * w + ix) * ci + i]! * dy[((m * ho + p) * wo + q) * c.co + o]!;
              }
          dw[((a * kw + b) * ci + i) * c.co + o] = s;
        }
  return dw;
}

/** Runs the kernel in a fresh memory with the channels split as `threads` threads would split them. */
function kernel(c: Conv, x: Float32Array, dy: Float32Array, shared: boolean, relaxed: boolean, threads: number, rows: number) {
  const { kernels, heap } = instantiate(shared, relaxed);
  const { filterGrad } = kernels;
  const [n, h, w, ci] = c.x;
  const size = c.k[0] * c.k[1] * ci * c.co;
  const [px, pdy] = [64, 64 + 4 * x.length + 64];
  const pdw = pdy + 4 * dy.length + 64;
  heap.set(x, px / 4);
  heap.set(dy, pdy / 4);
  heap.fill(NaN, pdw / 4, pdw / 4 + size + 16); // the kernel must write every value and nothing past
  const list = pdw + 4 * size + 64; // room for `rows` runs of 12 bytes
  const common = [px, pdy, pdw, n, h, w, ci, c.out[0], c.out[1], c.co, c.k[0], c.k[1], c.stride[0], c.stride[1], c.top, c.left, rows];
  for (const ranges of splitChannels(ci, c.co, threads)) filterGrad!(...common, list, ...ranges);
  return { dw: heap.slice(pdw / 4, pdw / 4 + size), after: heap.slice(pdw / 4 + size, pdw / 4 + size + 16) };
}

describe('filter-gradient kernel', () => {
  const rng = new Rng(8474);
  const data = convs.map((c) => {
    const x = rng.normals(c.x.reduce((a, b) => a * b));
    const dy = rng.normals(c.x[0] * c.out[0] * c.out[1] * c.co);
    return { c, x, dy, want: reference(c, x, dy) };
  });

  it.each(VARIANTS)('matches a float64 loop: %s', (_label, { shared, relaxed }) => {
    for (const { c, x, dy, want } of data) {
      const { dw, after } = kernel(c, x, dy, shared, relaxed, 1, 2);
      expect(maxAbsDiff(dw, want), c.label).toBeLessThan(1e-4);
      expect(Array.from(after).every(Number.isNaN), `${c.label}: wrote past dW`).toBe(true);
    }
  });

  it('gives the same bytes for any thread split and chunk of rows', () => {
    for (const { c, x, dy } of data) {
      const one = kernel(c, x, dy, true, true, 1, 1).dw;
      for (const [threads, rows] of [
        [2, 1],
        [3, 7],
        [1, 5],
        [3, 1000],
      ]) {
        expect(
          Buffer.from(kernel(c, x, dy, true, true, threads!, rows!).dw.buffer).equals(Buffer.from(one.buffer)),
          `${c.label}, ${threads} threads, chunks of ${rows} rows`,
        ).toBe(true);
      }
    }
  });
});
