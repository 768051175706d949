import { describe, expect, it } from 'vitest';
import { borderColour, keyOut } from '#core/export/key-out';
import type { RgbaImage } from '#core/export/rgba';

/** A red disc on a green background with a one-pixel blended rim, as an RGB model draws it. */
function disc(): RgbaImage {
  const n = 16;
  const data = new Uint8Array(n * n * 4);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const r = Math.hypot(x - 7.5, y - 7.5);
      const a = Math.min(1, Math.max(0, 5.5 - r)); // 1 inside, ramps to 0 over one pixel
      data.set([Math.round(a * 220 + (1 - a) * 30), Math.round((1 - a) * 200), Math.round((1 - a) * 40), 255], (y * n + x) * 4);
    }
  return { data, width: n, height: n };
}

describe('background key-out', () => {
  it('finds the background from the border, clears it, keeps the subject and softens the rim', () => {
    const img = disc();
    expect(borderColour(img)).toEqual([30, 200, 40]);
    const out = keyOut(img, { tolerance: 10, softness: 260 });
    const at = (x: number, y: number) => [...out.data.subarray((y * 16 + x) * 4, (y * 16 + x) * 4 + 4)];
    expect(at(0, 0)[3]).toBe(0);
    expect(at(8, 8)).toEqual([220, 0, 0, 255]);
    const alphas = new Set(Array.from({ length: 256 }, (_, i) => out.data[i * 4 + 3]));
    expect([...alphas].some((a) => a! > 0 && a! < 255)).toBe(true);
    // Rim pixels lose the green they were mixed with.
    for (let i = 0; i < 256; i++) if (out.data[i * 4 + 3]! > 64) expect(out.data[i * 4 + 1]!).toBeLessThan(60);
  });

  it('with no softness gives a hard edge, and an explicit colour wins over the border', () => {
    const out = keyOut(disc(), { tolerance: 100, softness: 0 });
    expect(new Set(Array.from({ length: 256 }, (_, i) => out.data[i * 4 + 3]))).toEqual(new Set([0, 255]));
    const none = keyOut(disc(), { colour: [0, 0, 255], tolerance: 5, softness: 0 });
    expect(Array.from({ length: 256 }, (_, i) => none.data[i * 4 + 3]).every((a) => a === 255)).toBe(true);
    expect(() => keyOut(disc(), { tolerance: -1 })).toThrow(/≥ 0/);
  });
});
