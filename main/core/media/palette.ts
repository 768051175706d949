// Palettes: the colours that represent a set of pixels (Wu's colour quantiser from image-q, a
// median-cut refinement), and snapping every pixel to its nearest palette colour without dithering,
// with hard alpha. Used by the pixel-art export and by sampling runs trained on pixel art.
import * as iq from 'image-q';
import { UserError } from '../errors';

export type Rgb = [number, number, number];

/** Up to `colors` colours that represent the given RGB pixels (3 bytes each). */
export function extractPalette(rgb: Uint8Array, colors: number): Rgb[] {
  if (!Number.isInteger(colors) || colors < 2 || colors > 256) throw new UserError('A palette has 2 to 256 colours');
  const rgba = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) rgba.set([rgb[i]!, rgb[i + 1]!, rgb[i + 2]!, 255], j);
  const points = iq.utils.PointContainer.fromUint8Array(rgba, rgba.length / 4, 1);
  const palette = iq.buildPaletteSync([points], { colors, paletteQuantization: 'wuquant', colorDistanceFormula: 'euclidean' });
  const out = palette
    .getPointContainer()
    .getPointArray()
    .map((p) => [p.r, p.g, p.b] as Rgb);
  // Same colours in a stable order (by luma), so the palette file and snapping are reproducible.
  return out.sort((a, b) => a[0] * 299 + a[1] * 587 + a[2] * 114 - (b[0] * 299 + b[1] * 587 + b[2] * 114) || a[0] - b[0] || a[1] - b[1]);
}

/** Every pixel to its nearest palette colour (no dithering); alpha becomes fully on or off. */
export function snapToPalette<T extends { data: Uint8Array; width: number; height: number }>(img: T, palette: readonly Rgb[]): T {
  const pal = new iq.utils.Palette();
  for (const [r, g, b] of palette) pal.add(iq.utils.Point.createByRGBA(r, g, b, 255));
  const opaque = new Uint8Array(img.data);
  for (let i = 3; i < opaque.length; i += 4) opaque[i] = 255;
  const points = iq.utils.PointContainer.fromUint8Array(opaque, img.width, img.height);
  const snapped = iq.applyPaletteSync(points, pal, { imageQuantization: 'nearest', colorDistanceFormula: 'euclidean' }).toUint8Array();
  const data = new Uint8Array(snapped);
  for (let i = 3; i < data.length; i += 4) data[i] = img.data[i]! >= 128 ? 255 : 0;
  return { ...img, data };
}

/** "#1a2b3c" for a colour. */
export const hexColour = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
