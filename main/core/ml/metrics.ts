// Image quality metrics over 8-bit RGB byte arrays (row-major, 3 bytes a pixel, values 0–255), the
// form every image takes once it leaves a model (toRgbBytes) or the dataset: scores are of what the
// user sees, after rounding, and need no backend.
import { UserError } from '../errors';

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

function checkPair(a: RgbImage, b: RgbImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new UserError(`images differ in size: ${a.width}×${a.height} and ${b.width}×${b.height}`);
  }
  for (const img of [a, b]) {
    if (img.data.length !== img.width * img.height * 3)
      throw new Error(`RGB data of ${img.data.length} bytes for ${img.width}×${img.height}`);
  }
}

/** Peak signal-to-noise ratio in dB over all channels (peak 255); Infinity for identical images. */
export function psnr(a: RgbImage, b: RgbImage): number {
  checkPair(a, b);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i]! - b.data[i]!;
    sum += d * d;
  }
  const mse = sum / a.data.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

// Wang et al. 2004: 11×11 Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03, dynamic range 255.
const WINDOW = 11;
const SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

const kernel = (() => {
  const k = Array.from({ length: WINDOW }, (_, i) => Math.exp(-((i - (WINDOW - 1) / 2) ** 2) / (2 * SIGMA * SIGMA)));
  const s = k.reduce((x, y) => x + y, 0);
  return k.map((v) => v / s);
})();

/** Gaussian-weighted mean over every full window ("valid" positions), separably: rows then columns. */
function blurValid(src: Float64Array, w: number, h: number): Float64Array {
  const ow = w - WINDOW + 1;
  const oh = h - WINDOW + 1;
  const rows = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += kernel[k]! * src[y * w + x + k]!;
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += kernel[k]! * rows[(y + k) * ow + x]!;
      out[y * ow + x] = s;
    }
  }
  return out;
}

/**
 * Structural similarity (Wang et al. 2004): the mean SSIM map over all full 11×11 windows, computed
 * per RGB channel and averaged over the three. 1 for identical images; images must be at least 11 px.
 */
export function ssim(a: RgbImage, b: RgbImage): number {
  checkPair(a, b);
  const { width: w, height: h } = a;
  if (w < WINDOW || h < WINDOW) throw new UserError(`SSIM needs images of at least ${WINDOW}×${WINDOW} pixels, got ${w}×${h}`);
  const n = w * h;
  let total = 0;
  for (let c = 0; c < 3; c++) {
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = a.data[i * 3 + c]!;
      y[i] = b.data[i * 3 + c]!;
    }
    const sq = (v: Float64Array, u: Float64Array) => v.map((e, i) => e * u[i]!);
    const [mx, my, mxx, myy, mxy] = [x, y, sq(x, x), sq(y, y), sq(x, y)].map((v) => blurValid(v, w, h));
    let sum = 0;
    for (let i = 0; i < mx!.length; i++) {
      const vx = mxx![i]! - mx![i]! * mx![i]!;
      const vy = myy![i]! - my![i]! * my![i]!;
      const cxy = mxy![i]! - mx![i]! * my![i]!;
      sum += ((2 * mx![i]! * my![i]! + C1) * (2 * cxy + C2)) / ((mx![i]! * mx![i]! + my![i]! * my![i]! + C1) * (vx + vy + C2));
    }
    total += sum / mx!.length;
  }
  return total / 3;
}
