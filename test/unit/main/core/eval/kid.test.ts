import { describe, expect, it } from 'vitest';
import { kid, mmdUnbiased, polynomialKernel, rmsScale } from '#core/eval/kid';

const f = (...rows: number[][]) => rows.map((r) => Float32Array.from(r));

describe('polynomial kernel', () => {
  it('is (x·y / d + 1)³', () => {
    // x·y = 3 + 8 = 11, d = 2: (5.5 + 1)³
    expect(polynomialKernel(Float32Array.of(1, 2), Float32Array.of(3, 4))).toBeCloseTo(274.625, 6);
  });
});

describe('unbiased MMD²', () => {
  it('matches the estimator computed by hand on 1-d features', () => {
    // X = {0, 1}, Y = {1, 2}, k(x, y) = (xy + 1)³.
    // within X: k(0,1) = 1; within Y: k(1,2) = 27; across: 1 + 1 + 8 + 27 = 37.
    // 2·1/(2·1) + 2·27/(2·1) − 2·37/(2·2) = 1 + 27 − 18.5
    expect(mmdUnbiased(f([0], [1]), f([1], [2]))).toBeCloseTo(9.5, 6);
  });

  it('leaves the diagonal out, so identical sets can score below zero', () => {
    // within each: k(0,1) = 1; across: 1 + 1 + 1 + 8 = 11 → 1 + 1 − 5.5
    expect(mmdUnbiased(f([0], [1]), f([0], [1]))).toBeCloseTo(-3.5, 6);
  });

  it('needs two vectors a side', () => {
    expect(() => mmdUnbiased(f([0]), f([0], [1]))).toThrow(/at least 2/);
  });
});

describe('KID over subsets', () => {
  it('is the single full estimate when both sets fit one subset', () => {
    expect(kid(f([0], [1]), f([1], [2]), { subsetSize: 10 })).toEqual({
      kid: mmdUnbiased(f([0], [1]), f([1], [2])),
      std: 0,
      subsets: 1,
      subsetSize: 2,
    });
  });

  it('averages seeded subsets, spreads zero when every subset is the same, and grows with the gap', () => {
    const same = Array.from({ length: 8 }, () => Float32Array.of(1, 1));
    const r = kid(same, same, { subsetSize: 3, subsets: 5 });
    // Every pair has k = 8: 8 + 8 − 2·8 = 0 in every subset.
    expect(r).toEqual({ kid: 0, std: 0, subsets: 5, subsetSize: 3 });
    const base = Array.from({ length: 12 }, (_, i) => Float32Array.of(Math.sin(i), Math.cos(i)));
    const shifted = (d: number) => base.map((v) => v.map((x) => x + d));
    const near = kid(base, shifted(0.2), { subsetSize: 6, seed: 3 });
    const far = kid(base, shifted(1), { subsetSize: 6, seed: 3 });
    expect(near.kid).toBeGreaterThan(0);
    expect(far.kid).toBeGreaterThan(near.kid);
    expect(far.std).toBeGreaterThan(0);
    expect(kid(base, shifted(1), { subsetSize: 6, seed: 3 })).toEqual(far);
  });
});

describe('feature scale', () => {
  it('is the root mean square of every entry', () => {
    // (9 + 16 + 0 + 0) / 4 = 6.25
    expect(rmsScale(f([3, 4], [0, 0]))).toBe(2.5);
    expect(rmsScale(f([0, 0]))).toBe(1);
  });
});
