import { describe, expect, it } from 'vitest';
import { copyRate, copyThreshold, originality, quantile } from '#core/eval/copies';

const f = (...rows: number[][]) => rows.map((r) => Float32Array.from(r));

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([10, 0], 0.05)).toBe(0.5);
    expect(quantile([7], 0.05)).toBe(7);
  });
});

describe('copy threshold and copy rate', () => {
  // Nearest-neighbour distances among the training set: 0↔1.5 = 1.5 (both ways), 3.5→1.5 = 2,
  // 7→3.5 = 3.5, 12→7 = 5. Sorted [1.5, 1.5, 2, 3.5, 5]: the 5th percentile sits at 0.2 between
  // the first two, 1.5.
  const train = f([0], [1.5], [3.5], [7], [12]);

  it('is the 5th percentile of real-to-real nearest-neighbour distances', () => {
    expect(copyThreshold(train)).toBeCloseTo(1.5, 6);
    expect(copyThreshold(f([1]))).toBeNull();
  });

  it('counts generations strictly closer than the threshold to a training image', () => {
    // 1.4 is 0.1 from 1.5: a copy; 5 is exactly 1.5 from 3.5: not closer; 20 is 8 away.
    expect(copyRate(f([1.4], [5], [20]), train, 1.5)).toBeCloseTo(1 / 3, 6);
    expect(copyRate([], train, 1.5)).toBe(0);
  });

  it('names the nearest training image of a near copy', () => {
    expect(originality(Float32Array.of(11.9), train, 1.5, 2)).toEqual({
      neighbours: [
        { index: 4, distance: expect.closeTo(0.1, 5) },
        { index: 3, distance: expect.closeTo(4.9, 5) },
      ],
      threshold: 1.5,
      nearCopyOf: 4,
    });
    expect(originality(Float32Array.of(9.5), train, 1.5, 1).nearCopyOf).toBeNull();
    expect(originality(Float32Array.of(12), train, null, 1).nearCopyOf).toBeNull();
  });
});
