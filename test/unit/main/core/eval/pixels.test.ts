import { describe, expect, it } from 'vitest';
import { overWhite, pixelFeature, resample } from '#core/eval/pixels';

describe('eval pixels', () => {
  it('composites straight RGBA over white', () => {
    expect([...overWhite(Uint8Array.of(0, 0, 0, 255, 0, 0, 0, 0, 100, 0, 0, 51), 4)]).toEqual([0, 0, 0, 255, 255, 255, 224, 204, 204]);
  });

  it('area-averages down and repeats pixels up', () => {
    // 2×2 → 1×1: the mean of the four pixels, in [0, 1].
    const rgb = Uint8Array.of(0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255);
    expect([...resample(rgb, 2, 1)].map((v) => +v.toFixed(4))).toEqual([0.5, 0.25, 0.5]);
    expect([...resample(Uint8Array.of(255, 0, 51), 1, 2)].map((v) => +v.toFixed(4))).toEqual([1, 0, 0.2, 1, 0, 0.2, 1, 0, 0.2, 1, 0, 0.2]);
  });

  it('features are 16 px thumbnails', () => {
    expect(pixelFeature(new Uint8Array(32 * 32 * 4), 32, 4).length).toBe(16 * 16 * 3);
  });
});
