// `doctor --fix`: normalised copies of the accepted images (upright, sRGB 8-bit PNG, first frame) with
// their captions written beside them as sidecars, in a new folder. The user's folder is never written.
import { mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors';
import { captionKey } from './captions';
import { encodeNormalisedPng } from './decode';
import { isImageFile, type AcceptedImage } from './doctor';
import type { ScanResult } from './scan';

/** Checks that outDir is new or empty and outside the dataset, creates it, and returns its path. */
export async function prepareFixFolder(outDir: string, root: string): Promise<string> {
  const out = resolve(outDir);
  const real = await realpathOfNearestExisting(out);
  if (real === root || real.startsWith(root + sep)) {
    throw new UserError(`--fix must write outside the dataset: ${outDir} is inside ${root}. Choose another folder.`);
  }
  const existing = await stat(out).catch(() => null);
  if (existing && !existing.isDirectory()) throw new UserError(`${outDir} is a file: give a new or empty folder for --fix.`);
  if (existing && (await readdir(out)).length > 0) {
    throw new UserError(`${outDir} is not empty: give a new or empty folder for --fix, so nothing is overwritten.`);
  }
  await mkdir(out, { recursive: true });
  return out;
}

/**
 * A doctor onAccepted hook writing each accepted image's fixed copy into out. An image keeps its
 * relative path with a .png extension, or its full name + .png where another image shares its stem.
 */
export function fixWriter(out: string, scan: ScanResult, maxPixels: number) {
  const stems = new Map<string, number>();
  for (const f of scan.files) if (isImageFile(f.path)) stems.set(captionKey(f.path), (stems.get(captionKey(f.path)) ?? 0) + 1);
  return async (image: AcceptedImage, bytes: Buffer): Promise<void> => {
    const stem = stems.get(captionKey(image.path))! > 1 ? image.path : captionKey(image.path);
    const target = join(out, ...`${stem}.png`.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await encodeNormalisedPng(bytes, { maxPixels, keepAlpha: image.alphaUsed }));
    if (image.caption) await writeFile(join(dirname(target), `${basename(stem)}.txt`), `${image.caption}\n`);
  };
}

async function realpathOfNearestExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realpathOfNearestExisting(parent), relative(parent, path));
  }
}
