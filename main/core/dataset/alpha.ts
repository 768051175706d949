// Transparency in datasets: a dataset "uses alpha" when at least one accepted image has ≥ 1 % of its
// training-size pixels not fully opaque (a stray soft edge pixel does not turn a dataset RGBA).
// Alpha datasets keep straight (un-premultiplied) RGBA bytes; the model premultiplies (ml/alpha.ts).
import sharp from 'sharp';
import type { Fit } from './decode';

export type AlphaMode = 'auto' | 'on' | 'off';

/** Share of non-opaque pixels from which an image counts as using alpha. */
export const ALPHA_SHARE = 0.01;

/** Whether RGBA bytes have at least ALPHA_SHARE of their pixels below full opacity. */
export function usesAlpha(rgba: Uint8Array): boolean {
  let n = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 255) n++;
  return n >= ALPHA_SHARE * (rgba.length / 4);
}

/** The training image as size² straight RGBA (sRGB 8-bit); the pad letterbox is transparent. */
export async function decodeSquareRgba(bytes: Buffer, opts: { size: number; fit: Fit; maxPixels: number }): Promise<Uint8Array> {
  const data = await sharp(bytes, { limitInputPixels: opts.maxPixels, failOn: 'error', autoOrient: true })
    .resize(opts.size, opts.size, {
      fit: opts.fit === 'crop' ? 'cover' : 'contain',
      position: 'centre',
      background: { r: 0, g: 0, b: 0, alpha: 0 },
    })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** RGB bytes → RGBA bytes with alpha 255. */
export function withOpaqueAlpha(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]!;
    out[j + 1] = rgb[i + 1]!;
    out[j + 2] = rgb[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
}
