import { describe, expect, it } from 'vitest';
import { lerp, slerp } from '#core/ml/interpolate';
import { Rng } from '#shared/rng';

const norm = (v: Float32Array) => Math.hypot(...v);
const angle = (a: Float32Array, b: Float32Array) => Math.acos(a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b)));

describe('slerp', () => {
  const a = new Rng(1).normals(64);
  const b = new Rng(2).normals(64);

  it('returns the end points exactly', () => {
    expect(slerp(a, b, 0)).toEqual(a);
    expect(slerp(a, b, 1)).toEqual(b);
  });

  it('keeps the length of equal-length vectors all the way (a straight line would shrink it)', () => {
    const b2 = b.map((v) => (v * norm(a)) / norm(b));
    for (const t of [0.1, 0.25, 0.5, 0.75, 0.9]) expect(norm(slerp(a, b2, t))).toBeCloseTo(norm(a), 3);
    expect(norm(lerp(a, b2, 0.5))).toBeLessThan(0.8 * norm(a));
  });

  it('moves at a constant angular speed along the arc', () => {
    const total = angle(a, b);
    for (const t of [0.2, 0.5, 0.8]) {
      const m = slerp(a, b, t);
      expect(angle(a, m)).toBeCloseTo(t * total, 4);
      expect(angle(m, b)).toBeCloseTo((1 - t) * total, 4);
    }
  });

  it('blends the lengths linearly when they differ', () => {
    const long = b.map((v) => 3 * v);
    expect(norm(slerp(a, long, 0.5))).toBeCloseTo((norm(a) + norm(long)) / 2, 3);
  });

  it('falls back to a straight line for parallel vectors', () => {
    const twice = a.map((v) => 2 * v);
    const m = slerp(a, twice, 0.5);
    m.forEach((v, i) => expect(v).toBeCloseTo(1.5 * a[i]!, 5));
  });
});

describe('lerp', () => {
  it('is exact at the ends and halfway between in the middle', () => {
    const a = Float32Array.of(0, 1, -2);
    const b = Float32Array.of(4, 1, 2);
    expect(lerp(a, b, 0)).toEqual(a);
    expect(lerp(a, b, 1)).toEqual(b);
    expect([...lerp(a, b, 0.5)]).toEqual([2, 1, 0]);
  });
});
