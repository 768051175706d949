import { describe, expect, it } from 'vitest';
import { paletteDistance, paletteHistogram } from '#core/eval/palette';

describe('palette distance', () => {
  const redBlue = Uint8Array.of(255, 0, 0, 0, 0, 255);
  const red = Uint8Array.of(250, 10, 20, 200, 60, 0); // both in the red bin (r ≥ 192, g < 64, b < 64)

  it('bins visible pixels into 4×4×4 colours', () => {
    const h = paletteHistogram([redBlue], 3);
    expect(h[3 * 16]).toBe(0.5); // red
    expect(h[3]).toBe(0.5); // blue
    // A transparent blue pixel is not part of the palette.
    expect(paletteHistogram([Uint8Array.of(255, 0, 0, 255, 0, 0, 255, 0)], 4)[3 * 16]).toBe(1);
  });

  it('is the total variation distance: half the L1 difference', () => {
    expect(paletteDistance(paletteHistogram([redBlue], 3), paletteHistogram([red], 3))).toBe(0.5);
    expect(paletteDistance(paletteHistogram([red], 3), paletteHistogram([red, red], 3))).toBe(0);
    expect(paletteDistance(paletteHistogram([Uint8Array.of(0, 0, 0)], 3), paletteHistogram([red], 3))).toBe(1);
  });
});
