// A sequence (frames stored side by side as one strip) written out as the files a game or a page wants:
// the strip, an animated GIF and WebP, and a grid sprite sheet with its TexturePacker atlas, each with
// the sequence's recipe, into a new folder (nothing is overwritten).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Recipe } from '#shared/recipe';
import { freshFolder } from '../files/fresh-folder';
import { encodeGif, encodeStrip, encodeWebp, type FrameSet } from '../media/animation';
import { embedRecipe } from '../media/png-meta';
import { UserError } from '../errors';
import { upscaleNearest } from './pixel-art';
import { rgbaPipeline, type RgbaImage } from './rgba';
import { buildSheet, hashAtlas } from './sprite-sheet';

export type SequenceFormat = 'strip' | 'gif' | 'webp' | 'sheet';

export interface SequenceOptions {
  formats: readonly SequenceFormat[];
  fps: number;
  scale: number;
}

/** The strip's frames: `count` cells of equal width, left to right, as RGB. */
export async function stripFrames(strip: Uint8Array, count: number): Promise<FrameSet> {
  const { data, info } = await sharp(strip).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (count < 1 || info.width % count !== 0)
    throw new UserError(`The strip is ${info.width} px wide, which does not split into ${count} frames`);
  const [w, h] = [info.width / count, info.height];
  const frames = Array.from({ length: count }, (_, i) => {
    const f = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) f.set(data.subarray((y * info.width + i * w) * 3, (y * info.width + (i + 1) * w) * 3), y * w * 3);
    return f;
  });
  return { frames, width: w, height: h };
}

function rgba(set: FrameSet, f: Uint8Array): RgbaImage {
  const data = new Uint8Array(set.width * set.height * 4);
  for (let p = 0; p < set.width * set.height; p++) {
    data.set(f.subarray(p * 3, p * 3 + 3), p * 4);
    data[p * 4 + 3] = 255;
  }
  return { data, width: set.width, height: set.height };
}

async function sheetFiles(set: FrameSet, recipe: Recipe, scale: number): Promise<[string, Uint8Array][]> {
  const digits = Math.max(2, String(set.frames.length).length);
  const frames = set.frames.map((f, i) => {
    const image = rgba(set, f);
    return { name: `frame-${String(i + 1).padStart(digits, '0')}`, image: scale > 1 ? upscaleNearest(image, scale) : image };
  });
  const sheet = buildSheet(frames, { mode: 'grid', padding: 0 });
  const png = embedRecipe(await rgbaPipeline(sheet.image).png({ compressionLevel: 9 }).toBuffer(), recipe);
  const atlas = { ...hashAtlas(sheet, 'sheet.png'), recipe };
  return [
    ['sheet.png', png],
    ['sheet.json', Buffer.from(`${JSON.stringify(atlas, null, 2)}\n`)],
  ];
}

/** Writes `parent/name/` (or `name-2`, …) with the chosen formats; returns the folder and its files. */
export async function writeSequence(
  set: FrameSet,
  recipe: Recipe,
  parent: string,
  name: string,
  o: SequenceOptions,
): Promise<{ folder: string; files: string[] }> {
  const anim = { delayMs: Math.round(1000 / o.fps), scale: o.scale };
  const files: [string, Uint8Array][] = [];
  for (const format of new Set(o.formats)) {
    if (format === 'strip') files.push(['strip.png', await encodeStrip(set, recipe, anim)]);
    if (format === 'gif') files.push(['animation.gif', await encodeGif(set, recipe, anim)]);
    if (format === 'webp') files.push(['animation.webp', await encodeWebp(set, recipe, anim)]);
    if (format === 'sheet') files.push(...(await sheetFiles(set, recipe, o.scale)));
  }
  const folder = await freshFolder(parent, name);
  for (const [file, data] of files) await fs.writeFile(path.join(folder, file), data, { flag: 'wx' });
  return { folder, files: files.map(([file]) => path.join(folder, file)) };
}
