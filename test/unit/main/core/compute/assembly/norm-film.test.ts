// The pixel-norm + FiLM + leaky-ReLU kernels on their own: every compiled variant against float64 loops
// of the formulas, and the same bytes for any split between threads.
import { describe, expect, it } from 'vitest';
import { floatBits, splitRange } from '#core/compute/wasm/runner';
import { Rng } from '#shared/rng';
import { VARIANTS, instantiate, maxAbsDiff } from './conv-cases';

const ALPHA = 0.2;
const EPS = 1e-8;
interface Case {
  b: number;
  hw: number;
  c: number;
  x: Float32Array;
  scale: Float32Array;
  shift: Float32Array;
  dOut: Float32Array;
}

// Channel counts with and without a 4-wide remainder, one that has only the remainder.
const rng = new Rng(31);
const CASES: Case[] = [
  [2, 3, 8],
  [3, 5, 19],
  [1, 4, 3],
  [4, 16, 64],
].map(([b, hw, c]) => ({
  b: b!,
  hw: hw!,
  c: c!,
  x: rng.normals(b! * hw! * c!),
  scale: rng.normals(b! * c!, 0.5).map((v) => 1 + v),
  shift: rng.normals(b! * c!, 0.5),
  dOut: rng.normals(b! * hw! * c!),
}));

/** The formulas in float64, straight from the definitions. */
function reference({ b, hw, c, x, scale, shift, dOut }: Case) {
  const out = new Float64Array(x.length),
    dx = new Float64Array(x.length);
  const dScale = new Float64Array(b * c),
    dShift = new Float64Array(b * c);
  for (let p = 0; p < b * hw; p++) {
    const img = Math.floor(p / hw) * c;
    let ss = 0;
    for (let i = 0; i < c; i++) ss += x[p * c + i]! ** 2;
    const r = 1 / Math.sqrt(ss / c + EPS);
    const dn = new Float64Array(c);
    let dot = 0;
    for (let i = 0; i < c; i++) {
      const n = x[p * c + i]! * r;
      const y = n * scale[img + i]! + shift[img + i]!;
      out[p * c + i] = y > 0 ? y : ALPHA * y;
      const g = dOut[p * c + i]! * (y > 0 ? 1 : ALPHA);
      dShift[img + i]! += g;
      dScale[img + i]! += g * n;
      dn[i] = g * scale[img + i]!;
      dot += dn[i]! * n;
    }
    for (let i = 0; i < c; i++) dx[p * c + i] = r * (dn[i]! - x[p * c + i]! * r * (dot / c));
  }
  return { out, dx, dScale, dShift };
}

/** Runs both kernels in a fresh memory, forward split by pixels and backward by images as given. */
function run(k: Case, shared: boolean, relaxed: boolean, parts: number) {
  const { kernels, heap } = instantiate(shared, relaxed);
  const { b, hw, c } = k;
  const n = b * hw * c;
  // Layout: x, scale, shift, dOut, out, dx, dScale, dShift, then a guard of NaN-marked floats.
  const sizes = [n, b * c, b * c, n, n, n, b * c, b * c];
  const offsets = sizes.map((_, i) => 16 + sizes.slice(0, i).reduce((s, v) => s + v, 0));
  const end = offsets[7]! + b * c;
  [k.x, k.scale, k.shift, k.dOut].forEach((a, i) => heap.set(a, offsets[i]));
  heap.fill(NaN, offsets[4]!, end + 8);
  const [px, ps, pt, pg, po, pdx, pds, pdt] = offsets.map((o) => 4 * o);
  const attrs = [floatBits(ALPHA), floatBits(EPS)];
  for (const part of splitRange(b * hw, 1, parts)) kernels.normFilm!(px!, ps!, pt!, po!, c, hw, ...attrs, ...part);
  for (const part of splitRange(b, 1, parts)) kernels.normFilmGrad!(px!, ps!, pt!, pg!, pdx!, pds!, pdt!, c, hw, ...attrs, ...part);
  const view = (i: number) => heap.slice(offsets[i]!, offsets[i]! + sizes[i]!);
  return { out: view(4), dx: view(5), dScale: view(6), dShift: view(7), after: heap.slice(end, end + 8) };
}

describe('normFilm kernels', () => {
  it.each(VARIANTS)('match float64 loops: %s', (_label, { shared, relaxed }) => {
    for (const k of CASES) {
      const got = run(k, shared, relaxed, 1);
      const want = reference(k);
      const label = `${k.b}×${k.hw}×${k.c}`;
      expect(maxAbsDiff(got.out, want.out), `${label} out`).toBeLessThan(1e-5);
      expect(maxAbsDiff(got.dx, want.dx), `${label} dx`).toBeLessThan(1e-4);
      expect(maxAbsDiff(got.dScale, want.dScale), `${label} dScale`).toBeLessThan(1e-4);
      expect(maxAbsDiff(got.dShift, want.dShift), `${label} dShift`).toBeLessThan(1e-4);
      expect(Array.from(got.after).every(Number.isNaN), `${label}: wrote past the outputs`).toBe(true);
    }
  });

  it('gives the same bytes for any split between threads', () => {
    for (const k of CASES) {
      const one = run(k, true, true, 1);
      for (const parts of [2, 3]) {
        const split = run(k, true, true, parts);
        for (const key of ['out', 'dx', 'dScale', 'dShift'] as const) {
          expect(Buffer.from(split[key].buffer).equals(Buffer.from(one[key].buffer)), `${k.b}×${k.hw}×${k.c} ${key} in ${parts}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('passes the gradient through the negative side scaled by α', () => {
    // One pixel whose outputs are all negative: dShift must be α · dOut.
    const k: Case = {
      b: 1,
      hw: 1,
      c: 4,
      x: new Float32Array([1, 2, 3, 4]),
      scale: new Float32Array(4).fill(1),
      shift: new Float32Array(4).fill(-10),
      dOut: new Float32Array([1, 1, 1, 1]),
    };
    expect(Array.from(run(k, false, false, 1).dShift)).toEqual([ALPHA, ALPHA, ALPHA, ALPHA].map(Math.fround));
  });
});
