// The SIMD tanh kernel on its own: every compiled variant against Math.tanh over the range that matters,
// the special values, and a length that leaves a scalar remainder.
import { describe, expect, it } from 'vitest';
import { VARIANTS, instantiate } from './conv-cases';

// −12 … 12 finely and symmetrically (the clamp is at ±7.9), then the special values.
const grid = Array.from({ length: 48001 }, (_, i) => (i - 24000) / 2000);
const specials = [0, -0, 1e-30, -3e-4, 3.9e-4, 4.1e-4, 1e-3, Infinity, -Infinity, 88, -1e6];
const x = new Float32Array([...grid, ...specials, NaN, 0.5, -0.25]); // length 48015: a remainder of 3

function run(shared: boolean, relaxed: boolean): Float32Array {
  const { kernels, heap } = instantiate(shared, relaxed);
  const [px, po] = [16, 16 + x.length + 16];
  heap.set(x, px);
  heap.fill(NaN, po, po + x.length + 4);
  kernels.tanh!(4 * px, 4 * po, 0, x.length);
  expect(heap.slice(po + x.length, po + x.length + 4).every(Number.isNaN), 'wrote past the output').toBe(true);
  return heap.slice(po, po + x.length);
}

describe('tanh kernel', () => {
  it.each(VARIANTS)('is within 5e-7 of Math.tanh: %s', (_label, { shared, relaxed }) => {
    const got = run(shared, relaxed);
    let worst = 0;
    x.forEach((v, i) => {
      if (Number.isNaN(v)) return expect(got[i]).toBeNaN();
      worst = Math.max(worst, Math.abs(got[i]! - Math.tanh(v)) / Math.max(1, Math.abs(Math.tanh(v))));
      expect(Math.abs(got[i]!)).toBeLessThanOrEqual(1);
    });
    expect(worst).toBeLessThan(5e-7);
    // odd, and exact where it should be
    expect(Object.is(got[grid.length + 1], -0)).toBe(true);
    expect([got[grid.length + 7], got[grid.length + 8]]).toEqual([1, -1]);
  });

  it('keeps x where tanh(x) rounds to x, and is odd', () => {
    const got = run(false, true);
    expect(got[grid.length + 2]).toBe(Math.fround(1e-30));
    for (let i = 0; i < grid.length; i++) expect(got[i]! + got[grid.length - 1 - i]!).toBe(0);
  });
});
