// Background key-out for RGB models: pixels close to the background colour become transparent, with a
// soft edge over a band of colour distance, and edge pixels get the background's tint removed so no
// halo of it is left when the sprite lands on another background.
import { UserError } from '../errors';
import type { Rgb } from './pixel-art';
import type { RgbaImage } from './rgba';

export interface KeyOut {
  /** The background colour; by default the median colour of the image's border pixels. */
  colour?: Rgb;
  /** Euclidean RGB distance (0–441) up to which a pixel is fully transparent. */
  tolerance: number;
  /** Width of the distance band over which alpha ramps up to opaque. */
  softness: number;
}

export const DEFAULT_KEY_OUT: KeyOut = { tolerance: 24, softness: 96 };

/** Median of each channel over the one-pixel border: robust to a subject touching the edge here and there. */
export function borderColour(img: RgbaImage): Rgb {
  const channels: number[][] = [[], [], []];
  const { width: w, height: h } = img;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y !== 0 && y !== h - 1 && x !== 0 && x !== w - 1) continue;
      for (let c = 0; c < 3; c++) channels[c]!.push(img.data[(y * w + x) * 4 + c]!);
    }
  }
  return channels.map((v) => v.sort((a, b) => a - b)[v.length >> 1]!) as Rgb;
}

export function keyOut(img: RgbaImage, options: Partial<KeyOut> = {}): RgbaImage {
  const { tolerance, softness } = { ...DEFAULT_KEY_OUT, ...options };
  if (!(tolerance >= 0) || !(softness >= 0)) throw new UserError('Key-out tolerance and softness are distances ≥ 0');
  const bg = options.colour ?? borderColour(img);
  const data = new Uint8Array(img.data);
  for (let i = 0; i < data.length; i += 4) {
    const d = Math.hypot(data[i]! - bg[0], data[i + 1]! - bg[1], data[i + 2]! - bg[2]);
    const a = softness === 0 ? (d > tolerance ? 1 : 0) : Math.min(1, Math.max(0, (d - tolerance) / softness));
    if (a > 0 && a < 1) {
      // The pixel was a·colour + (1−a)·background; recover the colour.
      for (let c = 0; c < 3; c++) data[i + c] = Math.round(Math.min(255, Math.max(0, (data[i + c]! - (1 - a) * bg[c]!) / a)));
    }
    data[i + 3] = Math.round(a * data[i + 3]!);
  }
  return { data, width: img.width, height: img.height };
}
