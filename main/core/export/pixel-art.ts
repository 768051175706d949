// Pixel art from small outputs: a palette taken from the training set (Wu's colour quantiser from
// image-q, a median-cut refinement), every pixel snapped to its nearest palette colour without
// dithering, hard alpha, and nearest-neighbour upscaling so the pixels stay square and sharp.
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import { loadDataset } from '../dataset/load';
import { extractPalette, type Rgb } from '../media/palette';
import type { RgbaImage } from './rgba';

export { extractPalette, snapToPalette, type Rgb } from '../media/palette';
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
