// The engine's dataset loader. It runs the Dataset Doctor's examination and decodes exactly the images
// the doctor accepts, so training and the report always agree. Each decoded image goes straight into a
// file (image-file.ts) and is read back per batch, so memory stays flat however many images a folder
// holds. With a cache folder that file is the cache, keyed by every file's path, size and mtime plus the
// training size, fit and pixel limit; without one it is an anonymous temporary file.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors';
import { type AlphaMode, decodeSquareRgba, usesAlpha, withOpaqueAlpha } from './alpha';
import type { CaptionSource } from './captions';
import { decodeNativeRgba, decodeSquare, DEFAULT_MAX_PIXELS, type Fit } from './decode';
import { examineScan, isImageFile, type AcceptedImage } from './doctor';
import { ImageFileWriter, openImageFile, type ImageFile } from './image-file';
import { overWhite, squarePixelArt } from './pixel-art';
import { scanFolder, type ScanResult } from './scan';

export interface DatasetItem {
  /** Relative to root, '/'-separated, NFC. */
  path: string;
  caption: string;
  captionSource: CaptionSource;
}

export interface LoadedDataset {
  root: string;
  size: number;
  fit: Fit;
  /** Item i's size*size*channels bytes, sRGB 8-bit, row-major HWC: RGB, or straight RGBA (alpha.ts). Close when done. */
  images: ImageFile;
  channels: 3 | 4;
  items: DatasetItem[];
  skipped: { path: string; reason: string }[];
  /** Whether most images are pixel art (pixel-art.ts). */
  pixelArt: boolean;
}

/** A folder is pixel art when most of its images are. */
export const mostlyPixelArt = (images: { pixelArt: boolean }[]) => images.filter((i) => i.pixelArt).length * 2 > images.length;

export interface LoadOptions {
  size: number;
  fit?: Fit;
  cacheDir?: string;
  maxPixels?: number;
  /** Keep transparency: 'auto' when the dataset uses alpha (alpha.ts); default 'off' (flattened onto white). */
  alpha?: AlphaMode;
  onProgress?: (done: number, total: number) => void;
}

// Bump when the decoded bytes or the cache layout change, so old caches are not trusted.
const CACHE_VERSION = 3;
const ACCEPTED_TYPES = 'png, jpg, webp, gif, tiff or avif';

export async function loadDataset(root: string, opts: LoadOptions): Promise<LoadedDataset> {
  const { size } = opts;
  const fit = opts.fit ?? 'crop';
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const alpha = opts.alpha ?? 'off';
  if (!Number.isInteger(size) || size < 8 || size > 1024) {
    throw new UserError(`Training size ${size} is not a whole number of pixels from 8 to 1024.`);
  }
  const scan = await scanFolder(root);
  if (scan.files.length === 0 && scan.skipped.length === 0) {
    throw new UserError(`${root} is empty: put your images (${ACCEPTED_TYPES}) in it and try again.`);
  }
  const cache = opts.cacheDir ? cacheFiles(opts.cacheDir, scan.root, size, fit, maxPixels, alpha) : null;
  const fingerprint = fingerprintOf(scan);
  const cached = cache ? await readCache(cache, fingerprint, size) : null;
  if (cached) {
    opts.onProgress?.(scan.files.length, scan.files.length);
    return { root: scan.root, size, fit, ...cached };
  }
  const { accepted, skipped, channels, writer, slots } = await decodeFolder(
    scan,
    { size, fit, maxPixels, alpha, onProgress: opts.onProgress },
    cache?.dir,
  );
  if (accepted.length === 0) {
    writer.discard();
    throw new UserError(
      `No readable images in ${root} (${skipped.length} files skipped): ` +
        `run "homegrown doctor ${root}" to see why, and add ${ACCEPTED_TYPES} images.`,
    );
  }
  const images = writer.finish(Buffer.from(fingerprint, 'latin1'), slots);
  const items = accepted.map(({ path, caption, captionSource }) => ({ path, caption, captionSource }));
  const pixelArt = mostlyPixelArt(accepted);
  if (cache && writer.keep(cache.pixels)) await writeMeta(cache, { fingerprint, items, skipped, channels, pixelArt, slots: [...slots] });
  else writer.unlink();
  return { root: scan.root, size, fit, images, channels, items, skipped, pixelArt };
}

interface Decoded {
  accepted: AcceptedImage[];
  skipped: { path: string; reason: string }[];
  channels: 3 | 4;
  /** Holds item i's image at slots[i]. */
  writer: ImageFileWriter;
  slots: Uint32Array;
}

/**
 * Examines the folder and writes each accepted image's pixels as it is decoded, at a slot fixed by its
 * place among the folder's image files, so no more than the images in flight are ever in memory.
 */
async function decodeFolder(
  scan: ScanResult,
  opts: { size: number; fit: Fit; maxPixels: number; alpha: AlphaMode; onProgress?: (done: number, total: number) => void },
  cacheDir: string | undefined,
): Promise<Decoded> {
  const { size, fit, maxPixels, alpha } = opts;
  const slotOf = new Map(scan.files.filter((f) => isImageFile(f.path)).map((f, i) => [f.path, i] as const));
  const writers: ImageFileWriter[] = [];
  const writer = (channels: 3 | 4) => {
    const w = createWriter(size * size * channels, cacheDir);
    writers.push(w);
    return w;
  };
  try {
    // 'auto' decides the channels once every image is seen: RGB for all, RGBA aside for those with alpha.
    const main = writer(alpha === 'on' ? 4 : 3);
    let rgba: ImageFileWriter | null = null;
    const rgbaSlots = new Set<number>();
    let alphaUsed = false;
    const report = await examineScan(scan, {
      maxPixels,
      nearDuplicates: false,
      onProgress: opts.onProgress,
      onAccepted: async (image, bytes) => {
        const slot = slotOf.get(image.path)!;
        const decode = (channels: 3 | 4) => decodeTrainingImage(bytes, image.pixelArt, { size, fit, maxPixels, channels });
        if (alpha === 'on') return main.put(slot, await decode(4));
        main.put(slot, await decode(3));
        if (alpha === 'auto' && image.alphaUsed) {
          const pixels = await decode(4);
          rgba ??= writer(4);
          rgba.put(slot, pixels);
          rgbaSlots.add(slot);
          alphaUsed ||= usesAlpha(pixels);
        }
      },
    });
    const accepted = report.files.filter((f): f is AcceptedImage => f.status === 'accepted');
    const skipped = report.files.flatMap((f) => (f.status === 'skipped' ? [{ path: f.path, reason: f.reason }] : []));
    const slots = Uint32Array.from(accepted, (image) => slotOf.get(image.path)!);
    if (alpha !== 'auto' || !alphaUsed) {
      for (const w of writers) if (w !== main) w.discard();
      return { accepted, skipped, channels: alpha === 'on' ? 4 : 3, writer: main, slots };
    }
    // An RGBA dataset: one RGBA record per item, in item order, with opaque alpha where there was none.
    const merged = writer(4);
    slots.forEach((slot, i) => merged.put(i, rgbaSlots.has(slot) ? rgba!.readSlot(slot) : withOpaqueAlpha(main.readSlot(slot))));
    for (const w of writers) if (w !== merged) w.discard();
    return { accepted, skipped, channels: 4, writer: merged, slots: Uint32Array.from(slots, (_, i) => i) };
  } catch (err) {
    for (const w of writers) w.discard();
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EFBIG' && code !== 'EDQUOT') throw err;
    const needs = Math.ceil((slotOf.size * size * size * (alpha === 'off' ? 3 : 4)) / 2 ** 20);
    throw new UserError(
      `Cannot store the decoded images in ${writers[0]?.dir ?? cacheDir}: the disk is full (this folder needs about ${needs} MB there). Free some space and try again.`,
    );
  }
}

/**
 * One training image: size² RGB (flattened onto white) or straight RGBA. Pixel art is resized without
 * blurring (pixel-art.ts); everything else by sharp's Lanczos.
 */
export async function decodeTrainingImage(
  bytes: Buffer,
  pixelArt: boolean,
  opts: { size: number; fit: Fit; maxPixels: number; channels: 3 | 4 },
): Promise<Uint8Array> {
  if (!pixelArt) return opts.channels === 4 ? decodeSquareRgba(bytes, opts) : decodeSquare(bytes, opts);
  const art = await decodeNativeRgba(bytes, opts.maxPixels);
  const square = squarePixelArt(art.data, art.width, art.height, opts.size, opts.fit);
  return opts.channels === 4 ? square : overWhite(square);
}

/** A writer in the cache folder, else (no cache, or one that cannot be written) in the temporary folder. */
function createWriter(stride: number, cacheDir: string | undefined): ImageFileWriter {
  if (cacheDir) {
    try {
      return ImageFileWriter.create(stride, HEADER_BYTES, cacheDir);
    } catch {
      // An unwritable cache only costs the next load its speed.
    }
  }
  try {
    return ImageFileWriter.create(stride, HEADER_BYTES);
  } catch (err) {
    throw new UserError(`Cannot store the decoded images in the temporary folder: ${(err as Error).message}`);
  }
}

interface CacheFiles {
  dir: string;
  meta: string;
  pixels: string;
}

interface CacheMeta {
  fingerprint: string;
  items: DatasetItem[];
  skipped: { path: string; reason: string }[];
  channels: 3 | 4;
  pixelArt: boolean;
  /** Record of each item in the pixels file. */
  slots: number[];
}

// The pixels file starts with the fingerprint (64 hex digits), so a pair torn by a crash is never a hit.
const HEADER_BYTES = 64;

/** One cache entry per (folder, size, fit, limit): a changed folder replaces its entry, never piles up. */
function cacheFiles(dir: string, root: string, size: number, fit: Fit, maxPixels: number, alpha: AlphaMode): CacheFiles {
  // Flattened (alpha 'off') entries keep the key they had before alpha existed.
  const key = [CACHE_VERSION, root, size, fit, maxPixels, ...(alpha === 'off' ? [] : [alpha])];
  const name = `dataset-${sha256(JSON.stringify(key)).slice(0, 24)}`;
  return { dir, meta: join(dir, `${name}.json`), pixels: join(dir, `${name}.rgb`) };
}

function fingerprintOf(scan: ScanResult): string {
  return sha256(
    JSON.stringify([CACHE_VERSION, scan.files.map((f) => [f.path, f.size, f.mtimeMs]), scan.skipped.map((s) => [s.path, s.code])]),
  );
}

type Cached = Omit<CacheMeta, 'fingerprint' | 'slots'> & { images: ImageFile };

async function readCache(files: CacheFiles, fingerprint: string, size: number): Promise<Cached | null> {
  try {
    const meta = JSON.parse(await readFile(files.meta, 'utf8')) as CacheMeta;
    if (meta.fingerprint !== fingerprint || meta.slots.length !== meta.items.length) return null;
    const images = openImageFile(
      files.pixels,
      Buffer.from(fingerprint, 'latin1'),
      size * size * meta.channels,
      Uint32Array.from(meta.slots),
    );
    return images && { items: meta.items, skipped: meta.skipped, channels: meta.channels, pixelArt: meta.pixelArt, images };
  } catch {
    return null; // missing or damaged cache: decode again
  }
}

async function writeMeta(files: CacheFiles, meta: CacheMeta): Promise<void> {
  try {
    await writeFile(`${files.meta}.tmp`, JSON.stringify(meta));
    await rename(`${files.meta}.tmp`, files.meta);
  } catch {
    // A cache that cannot be written only costs the next load its speed; the dataset itself is loaded.
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
