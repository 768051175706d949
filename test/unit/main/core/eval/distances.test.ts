import { describe, expect, it } from 'vitest';
import { distance, diversityRatio, meanPairwiseDistance, nearest } from '#core/eval/distances';

const f = (...rows: number[][]) => rows.map((r) => Float32Array.from(r));

describe('distances', () => {
  it('is Euclidean', () => {
    expect(distance(Float32Array.of(0, 0), Float32Array.of(3, 4))).toBe(5);
  });

  it('averages every distinct pair', () => {
    // pairs: |0−1| = 1, |0−3| = 3, |1−3| = 2
    expect(meanPairwiseDistance(f([0], [1], [3]))).toBe(2);
    expect(meanPairwiseDistance(f([0]))).toBeNull();
  });

  it('diversity is generations over real images, null when undefined', () => {
    expect(diversityRatio(f([0], [2]), f([0], [1], [3]))).toBe(1);
    expect(diversityRatio(f([0], [1]), f([0], [1], [3]))).toBe(0.5);
    expect(diversityRatio(f([5], [5]), f([0], [1], [3]))).toBe(0); // mode collapse
    expect(diversityRatio(f([0], [1]), f([2], [2]))).toBeNull();
    expect(diversityRatio(f([0]), f([0], [1]))).toBeNull();
  });

  it('finds the k nearest, nearest first, optionally skipping one', () => {
    const pool = f([0], [10], [4], [5]);
    expect(nearest(Float32Array.of(4.4), pool, 2)).toEqual([
      { index: 2, distance: expect.closeTo(0.4, 5) },
      { index: 3, distance: expect.closeTo(0.6, 5) },
    ]);
    expect(nearest(pool[2]!, pool, 1, 2)).toEqual([{ index: 3, distance: 1 }]);
  });
});
