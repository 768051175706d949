import { describe, expect, it } from 'vitest';
import { extractPalette, paletteFromTrainingSet, parsePalette, snapToPalette, upscaleNearest, type Rgb } from '#core/export/pixel-art';
import type { RgbaImage } from '#core/export/rgba';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../store/temp-home';

function noisy(width: number, height: number, seed = 1): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return { data, width, height };
}

describe('pixel art', () => {
  it('upscales by 2, 4 and 8 with hard square pixels', () => {
    const img = noisy(3, 2);
    for (const f of [2, 4, 8]) {
      const up = upscaleNearest(img, f);
      expect([up.width, up.height]).toEqual([3 * f, 2 * f]);
      for (let y = 0; y < up.height; y++)
        for (let x = 0; x < up.width; x++) {
          const s = (Math.floor(y / f) * 3 + Math.floor(x / f)) * 4;
          expect([...up.data.subarray((y * up.width + x) * 4, (y * up.width + x) * 4 + 4)]).toEqual([...img.data.subarray(s, s + 4)]);
        }
    }
    expect(() => upscaleNearest(img, 3)).toThrow('Upscale by 2, 4 or 8, not 3');
  });

  it('extracts the colours a set is made of', () => {
    const colours: Rgb[] = [
      [200, 20, 20],
      [20, 20, 200],
      [240, 240, 240],
      [10, 10, 10],
    ];
    const rgb = new Uint8Array(400 * 3);
    for (let i = 0; i < 400; i++)
      rgb.set(
        colours[i % 4]!.map((c) => Math.min(255, c + (i % 7) - 3)),
        i * 3,
      );
    const palette = extractPalette(rgb, 4);
    expect(palette).toHaveLength(4);
    for (const c of colours) expect(Math.min(...palette.map((p) => Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2])))).toBeLessThan(6);
  });

  it('snaps every pixel to its nearest palette colour, without dithering, alpha on or off', () => {
    const palette = parsePalette('#000000, #ff0000, #00ff00, #0000ff, #ffffff');
    const img = noisy(16, 16, 7);
    const out = snapToPalette(img, palette);
    for (let i = 0; i < out.data.length; i += 4) {
      const p = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
      const dist = (c: readonly number[]) => Math.hypot(c[0]! - p[0]!, c[1]! - p[1]!, c[2]! - p[2]!);
      const best = Math.min(...palette.map(dist));
      const got = [out.data[i]!, out.data[i + 1]!, out.data[i + 2]!];
      expect(palette.some((c) => c.every((v, k) => v === got[k]))).toBe(true);
      expect(dist(got)).toBeCloseTo(best, 6);
      expect(out.data[i + 3]).toBe(img.data[i + 3]! >= 128 ? 255 : 0);
    }
    // Flat areas stay flat: a dithering quantiser would scatter two colours over a mid-grey square.
    const grey: RgbaImage = { data: new Uint8Array(8 * 8 * 4).fill(120), width: 8, height: 8 };
    expect(new Set(Array.from({ length: 64 }, (_, i) => snapToPalette(grey, palette).data[i * 4])).size).toBe(1);
  });

  it('takes a palette from a training folder, and refuses bad colours', async () => {
    const dir = tempDir();
    const colours: Rgb[] = [
      [230, 40, 40],
      [40, 40, 230],
      [250, 250, 250],
    ];
    for (const [i, c] of colours.entries()) {
      // A coloured square on white, as a training image.
      const img = sharp({ create: { width: 40, height: 40, channels: 3, background: '#fafafa' } }).composite([
        { input: { create: { width: 20, height: 20, channels: 3, background: { r: c[0], g: c[1], b: c[2] } } }, left: 10, top: 10 },
      ]);
      fs.writeFileSync(path.join(dir, `shape-${i}.png`), await img.png().toBuffer());
    }
    const palette = await paletteFromTrainingSet(dir, 3);
    for (const c of colours) expect(Math.min(...palette.map((p) => Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2])))).toBeLessThan(8);
    expect(() => parsePalette('#12345, #fff')).toThrow('"#12345" is not a colour');
    expect(() => parsePalette('#fff')).toThrow('at least two colours');
  });
});
