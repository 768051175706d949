// The AssemblyScript conv2d kernel on its own: every compiled variant against a float64 loop, with and
// without a bias and a leaky ReLU, and the same bytes however its output pixels are split between threads
// and cache blocks.
import { describe, expect, it } from 'vitest';
import { floatBits, splitRange } from '#core/compute/wasm/runner';
import { Rng } from '#shared/rng';
import { type Conv, VARIANTS, instantiate, maxAbsDiff } from './conv-cases';

// Output channels that fill 8-wide tiles or not, pixel counts that fill 4-pixel tiles or not, tiles that
// span rows and images, taps in the padding on every side.
const convs: Conv[] = [
  { label: '3×3 s1 same, 8→16', x: [2, 5, 6, 8], k: [3, 3], co: 16, stride: [1, 1], top: 1, left: 1, out: [5, 6] },
  { label: '3×3 s2 same, 9→3', x: [3, 7, 7, 9], k: [3, 3], co: 3, stride: [2, 2], top: 1, left: 1, out: [4, 4] },
  { label: '2×2 s1 polyphase-like, 12→20', x: [2, 4, 3, 12], k: [2, 2], co: 20, stride: [1, 1], top: 1, left: 0, out: [4, 3] },
  { label: '4×3 s(2,1) valid, 16→8', x: [1, 9, 6, 16], k: [4, 3], co: 8, stride: [2, 1], top: 0, left: 0, out: [3, 4] },
  { label: '5×5 s1 pad 2, 8→13', x: [1, 3, 9, 8], k: [5, 5], co: 13, stride: [1, 1], top: 2, left: 2, out: [3, 9] },
];

function reference(c: Conv, x: Float32Array, w: Float32Array, bias?: Float32Array): Float64Array {
  const [n, h, wd, ci] = c.x;
  const [kh, kw] = c.k;
  const [ho, wo] = c.out;
  const y = new Float64Array(n * ho * wo * c.co);
  for (let m = 0; m < n; m++)
    for (let p = 0; p < ho; p++)
      for (let q = 0; q < wo; q++)
        for (let o = 0; o < c.co; o++) {
          let s = bias?.[o] ?? 0;
          for (let a = 0; a < kh; a++)
            for (let b = 0; b < kw; b++) {
              const [iy, ix] = [p * c.stride[0] + a - c.top, q * c.stride[1] + b - c.left];
              if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
              for (let i = 0; i < ci; i++) s += x[((m * h + iy) * wd + ix) * ci + i]! * w[((a * kw + b) * ci + i) * c.co + o]!;
            }
          y[((m * ho + p) * wo + q) * c.co + o] = s;
        }
  return y;
}

/**
 * Packs w (packPanels) and runs conv2d, with the bias padded to whole panels if there is one, in a fresh
 * memory, both split as `threads` threads would split them.
 */
function kernel(
  c: Conv,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  shared: boolean,
  relaxed: boolean,
  threads: number,
  block: number,
  alpha?: number,
) {
  const { kernels, heap } = instantiate(shared, relaxed);
  const { conv2d, packPanels } = kernels;
  const [n, h, wd, ci] = c.x;
  const rows = c.k[0] * c.k[1] * ci;
  const panels = Math.ceil(c.co / 8);
  const pixels = n * c.out[0] * c.out[1];
  const px = 16;
  const pw = px + x.length + 16;
  const pp = pw + w.length + 16;
  const pz = pp + panels * rows * 8 + 16;
  const pb = pz + ci + 16;
  const py = pb + panels * 8 + 16;
  heap.set(x, px);
  if (bias) heap.set(bias, pb);
  heap.set(w, pw);
  heap.fill(NaN, pp, pz); // packing must write every panel value, the padding columns as zeros
  heap.fill(NaN, py, py + pixels * c.co + 16); // the kernel must write every value and nothing past
  for (const range of splitRange(panels, 1, threads)) packPanels!(4 * pw, 4 * pp, rows, c.co, ...range);
  const geometry = [h, wd, ci, c.out[0], c.out[1], c.co, c.k[0], c.k[1], c.stride[0], c.stride[1], c.top, c.left];
  for (const range of splitRange(pixels, 4, threads))
    conv2d!(
      4 * px,
      4 * pp,
      4 * py,
      4 * pz,
      bias ? 4 * pb : 0,
      alpha === undefined ? 0 : 1,
      floatBits(alpha ?? 0),
      ...geometry,
      block,
      ...range,
    );
  return {
    y: heap.slice(py, py + pixels * c.co),
    after: heap.slice(py + pixels * c.co, py + pixels * c.co + 16),
    packed: heap.slice(pp, pp + panels * rows * 8),
  };
}

describe('conv2d kernel', () => {
  const rng = new Rng(2024);
  const data = convs.map((c) => {
    const x = rng.normals(c.x.reduce((a, b) => a * b));
    const w = rng.normals(c.k[0] * c.k[1] * c.x[3] * c.co);
    const bias = rng.normals(c.co);
    return { c, x, w, bias, want: reference(c, x, w), withBias: reference(c, x, w, bias) };
  });

  it.each(VARIANTS)('matches a float64 loop: %s', (_label, { shared, relaxed }) => {
    for (const { c, x, w, bias, want, withBias } of data) {
      const { y, after, packed } = kernel(c, x, w, undefined, shared, relaxed, 1, 8);
      expect(maxAbsDiff(y, want), c.label).toBeLessThan(1e-4);
      expect(maxAbsDiff(kernel(c, x, w, bias, shared, relaxed, 1, 8).y, withBias), `${c.label} with bias`).toBeLessThan(1e-4);
      const leaky = withBias.map((v) => (v > 0 ? v : 0.2 * v));
      expect(maxAbsDiff(kernel(c, x, w, bias, shared, relaxed, 1, 8, 0.2).y, leaky), `${c.label} with bias and leaky ReLU`).toBeLessThan(
        1e-4,
      );
      expect(packed.some(Number.isNaN), `${c.label}: left part of the packed filter unwritten`).toBe(false);
      expect(Array.from(after).every(Number.isNaN), `${c.label}: wrote past y`).toBe(true);
    }
  });

  it('gives the same bytes for any thread split and cache block', () => {
    for (const { c, x, w, bias } of data) {
      const one = kernel(c, x, w, bias, true, true, 1, 4).y;
      for (const [threads, block] of [
        [2, 4],
        [3, 8],
        [1, 1000],
        [5, 12],
      ]) {
        const same = Buffer.from(kernel(c, x, w, bias, true, true, threads!, block!).y.buffer).equals(Buffer.from(one.buffer));
        expect(same, `${c.label}, ${threads} threads, blocks of ${block}`).toBe(true);
      }
    }
  });
});
