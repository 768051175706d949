// Pixel art from small outputs: a palette taken from the training set (Wu's colour quantiser from
// image-q, a median-cut refinement), every pixel snapped to its nearest palette colour without
// dithering, hard alpha, and nearest-neighbour upscaling so the pixels stay square and sharp.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as iq from 'image-q';
import { UserError } from '../errors';
import { loadDataset } from '../dataset/load';
import type { RgbaImage } from './rgba';

export type Rgb = [number, number, number];
export const UPSCALE_FACTORS = [1, 2, 4, 8] as const;

export function upscaleNearest(img: RgbaImage, factor: number): RgbaImage {
  if (!(UPSCALE_FACTORS as readonly number[]).includes(factor)) throw new UserError(`Upscale by 2, 4 or 8, not ${factor}`);
  const width = img.width * factor;
  const height = img.height * factor;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (Math.floor(y / factor) * img.width + Math.floor(x / factor)) * 4;
      data.set(img.data.subarray(s, s + 4), (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

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

/**
 * The palette of a training set: `source` is a run folder (its dataset, at the model's size) or a
 * folder of images (read at 32 px, as the doctor accepts them).
 */
export async function paletteFromTrainingSet(source: string, colors: number): Promise<Rgb[]> {
  const runText = await fs.readFile(path.join(source, 'run.json'), 'utf8').catch(() => null);
  const run = runText ? (JSON.parse(runText) as { dataset: string; config: { size: number } }) : null;
  const dataset = await loadDataset(run?.dataset ?? source, { size: run?.config.size ?? 32 });
  try {
    if (dataset.items.length === 0) throw new UserError(`No usable images in ${run?.dataset ?? source} to take a palette from`);
    return extractPalette(dataset.images.readAll(), colors);
  } finally {
    dataset.images.close();
  }
}

/** "#1a2b3c" or "#fff" → [r, g, b]; anything else is refused by name. */
export function parseColour(c: string): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/iu.exec(c);
  if (!m) throw new UserError(`"${c}" is not a colour; write colours as #rrggbb`);
  const hex = m[1]!.length === 3 ? [...m[1]!].map((h) => h + h).join('') : m[1]!;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

/** "#1a2b3c,#fff,…" → colours. */
export function parsePalette(text: string): Rgb[] {
  const colours = text
    .split(/[\s,;]+/u)
    .filter(Boolean)
    .map(parseColour);
  if (colours.length < 2) throw new UserError('A palette needs at least two colours');
  return colours;
}

/** Every pixel to its nearest palette colour (no dithering); alpha becomes fully on or off. */
export function snapToPalette(img: RgbaImage, palette: readonly Rgb[]): RgbaImage {
  const pal = new iq.utils.Palette();
  for (const [r, g, b] of palette) pal.add(iq.utils.Point.createByRGBA(r, g, b, 255));
  const opaque = new Uint8Array(img.data);
  for (let i = 3; i < opaque.length; i += 4) opaque[i] = 255;
  const points = iq.utils.PointContainer.fromUint8Array(opaque, img.width, img.height);
  const snapped = iq.applyPaletteSync(points, pal, { imageQuantization: 'nearest', colorDistanceFormula: 'euclidean' }).toUint8Array();
  const data = new Uint8Array(snapped);
  for (let i = 3; i < data.length; i += 4) data[i] = img.data[i]! >= 128 ? 255 : 0;
  return { data, width: img.width, height: img.height };
}
