import { describe, expect, it } from 'vitest';
import { psnr, type RgbImage, ssim } from '#core/ml/metrics';
import { Rng } from '#shared/rng';

function image(w: number, h: number, f: (x: number, y: number, c: number) => number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { data, width: w, height: h };
}
const flat = (v: number, w = 16, h = 16) => image(w, h, () => v);
const noise = (seed: number, w = 24, h = 20) => {
  const rng = new Rng(seed);
  return image(w, h, () => Math.floor(rng.float() * 256));
};

/** SSIM straight from its definition: every 11×11 window on its own, no separable filtering. */
function ssimDirect(a: RgbImage, b: RgbImage): number {
  const g = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / 4.5));
  const s = g.reduce((p, q) => p + q, 0);
  const wgt = (i: number, j: number) => (g[i]! * g[j]!) / (s * s);
  const [C1, C2] = [(0.01 * 255) ** 2, (0.03 * 255) ** 2];
  let total = 0;
  let count = 0;
  for (let c = 0; c < 3; c++) {
    for (let oy = 0; oy + 11 <= a.height; oy++) {
      for (let ox = 0; ox + 11 <= a.width; ox++) {
        let [mx, my, sxx, syy, sxy] = [0, 0, 0, 0, 0];
        for (let j = 0; j < 11; j++) {
          for (let i = 0; i < 11; i++) {
            const k = ((oy + j) * a.width + ox + i) * 3 + c;
            mx += wgt(i, j) * a.data[k]!;
            my += wgt(i, j) * b.data[k]!;
          }
        }
        for (let j = 0; j < 11; j++) {
          for (let i = 0; i < 11; i++) {
            const k = ((oy + j) * a.width + ox + i) * 3 + c;
            const [dx, dy] = [a.data[k]! - mx, b.data[k]! - my];
            sxx += wgt(i, j) * dx * dx;
            syy += wgt(i, j) * dy * dy;
            sxy += wgt(i, j) * dx * dy;
          }
        }
        total += ((2 * mx * my + C1) * (2 * sxy + C2)) / ((mx * mx + my * my + C1) * (sxx + syy + C2));
        count++;
      }
    }
  }
  return total / count;
}

describe('psnr', () => {
  it('is infinite for identical images', () => {
    expect(psnr(noise(1), noise(1))).toBe(Infinity);
  });

  it('is 20·log10(255/d) for a uniform difference d', () => {
    expect(psnr(flat(100), flat(110))).toBeCloseTo(20 * Math.log10(255 / 10), 10);
    expect(psnr(flat(0), flat(255))).toBeCloseTo(0, 10);
  });

  it('averages the squared error over all pixels and channels', () => {
    // One channel of one pixel off by 48 in a 4×4 image: MSE = 48² / 48.
    const b = flat(50, 4, 4);
    b.data[5] = 98;
    expect(psnr(flat(50, 4, 4), b)).toBeCloseTo(10 * Math.log10((255 * 255) / 48), 10);
  });

  it('refuses images of different sizes', () => {
    expect(() => psnr(flat(0, 16, 16), flat(0, 16, 12))).toThrow(/differ in size: 16×16 and 16×12/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    expect(ssim(noise(2), noise(2))).toBeCloseTo(1, 12);
  });

  it('is the luminance term (2ab + C1)/(a² + b² + C1) for two flat images', () => {
    const C1 = (0.01 * 255) ** 2;
    expect(ssim(flat(100), flat(150))).toBeCloseTo((2 * 100 * 150 + C1) / (100 ** 2 + 150 ** 2 + C1), 12);
    expect(ssim(flat(0), flat(255))).toBeCloseTo(C1 / (255 ** 2 + C1), 12);
  });

  it('is near -1 for an image against its negative (structure reversed)', () => {
    const a = image(16, 16, (x, y) => (((x >> 1) + (y >> 1)) % 2 ? 192 : 64));
    const b = image(16, 16, (x, y) => (((x >> 1) + (y >> 1)) % 2 ? 64 : 192));
    expect(ssim(a, b)).toBeLessThan(-0.95);
  });

  it('matches the per-window definition on noise images', () => {
    const a = noise(3);
    const rng = new Rng(4);
    const b = { ...a, data: a.data.map((v) => Math.max(0, Math.min(255, v + Math.round((rng.float() - 0.5) * 160)))) };
    const s = ssim(a, b);
    expect(s).toBeCloseTo(ssimDirect(a, b), 10);
    expect(s).toBeGreaterThan(0.3);
    expect(s).toBeLessThan(0.95);
    expect(ssim(b, a)).toBeCloseTo(s, 12);
  });

  it('falls as the distortion grows', () => {
    const a = noise(5, 32, 32);
    const scores = [10, 40, 120].map((amp) => {
      const rng = new Rng(amp);
      return ssim(a, { ...a, data: a.data.map((v) => Math.max(0, Math.min(255, v + Math.round((rng.float() - 0.5) * amp)))) });
    });
    expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(scores[1]).toBeGreaterThan(scores[2]!);
  });

  it('refuses images smaller than its window', () => {
    expect(() => ssim(flat(0, 8, 8), flat(0, 8, 8))).toThrow(/at least 11×11/);
  });
});
