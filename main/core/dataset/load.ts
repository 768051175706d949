// The engine's dataset loader. It runs the Dataset Doctor's examination and decodes exactly the images
// the doctor accepts, so training and the report always agree. The decoded pixels are cached, keyed by
// every file's path, size and mtime plus the training size, fit and pixel limit.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors';
import { type AlphaMode, decodeSquareRgba, usesAlpha, withOpaqueAlpha } from './alpha';
import type { CaptionSource } from './captions';
import { decodeSquare, DEFAULT_MAX_PIXELS, type Fit } from './decode';
import { examineScan, type AcceptedImage } from './doctor';
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
  /** N*size*size*channels, sRGB 8-bit, row-major HWC, in the order of items: RGB, or straight RGBA (alpha.ts). */
  images: Uint8Array;
  channels: 3 | 4;
  items: DatasetItem[];
  skipped: { path: string; reason: string }[];
}

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
const CACHE_VERSION = 1;
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

  const pixels = new Map<string, Uint8Array>();
  const rgba = new Map<string, Uint8Array>();
  const report = await examineScan(scan, {
    maxPixels,
    onProgress: opts.onProgress,
    onAccepted: async (image, bytes) => {
      pixels.set(image.path, await decodeSquare(bytes, { size, fit, maxPixels }));
      if (alpha === 'on' || (alpha === 'auto' && image.alphaUsed)) rgba.set(image.path, await decodeSquareRgba(bytes, { size, fit, maxPixels }));
    },
  });
  const accepted = report.files.filter((f): f is AcceptedImage => f.status === 'accepted');
  const skipped = report.files.flatMap((f) => (f.status === 'skipped' ? [{ path: f.path, reason: f.reason }] : []));
  if (accepted.length === 0) {
    throw new UserError(
      `No readable images in ${root} (${skipped.length} files skipped): ` +
        `run "homegrown doctor ${root}" to see why, and add ${ACCEPTED_TYPES} images.`,
    );
  }
  const channels = alpha === 'on' || (alpha === 'auto' && [...rgba.values()].some(usesAlpha)) ? 4 : 3;
  const stride = size * size * channels;
  const images = new Uint8Array(accepted.length * stride);
  accepted.forEach((image, i) => {
    const rgb = pixels.get(image.path)!;
    images.set(channels === 3 ? rgb : (rgba.get(image.path) ?? withOpaqueAlpha(rgb)), i * stride);
  });
  const items = accepted.map(({ path, caption, captionSource }) => ({ path, caption, captionSource }));
  if (cache) await writeCache(cache, { fingerprint, items, skipped, channels }, images);
  return { root: scan.root, size, fit, images, channels, items, skipped };
}

interface CacheFiles {
  meta: string;
  pixels: string;
}

interface CacheMeta {
  fingerprint: string;
  items: DatasetItem[];
  skipped: { path: string; reason: string }[];
  channels: 3 | 4;
}

/** One cache entry per (folder, size, fit, limit): a changed folder replaces its entry, never piles up. */
function cacheFiles(dir: string, root: string, size: number, fit: Fit, maxPixels: number, alpha: AlphaMode): CacheFiles {
  // Flattened (alpha 'off') entries keep the key they had before alpha existed.
  const key = [CACHE_VERSION, root, size, fit, maxPixels, ...(alpha === 'off' ? [] : [alpha])];
  const name = `dataset-${sha256(JSON.stringify(key)).slice(0, 24)}`;
  return { meta: join(dir, `${name}.json`), pixels: join(dir, `${name}.rgb`) };
}

function fingerprintOf(scan: ScanResult): string {
  return sha256(
    JSON.stringify([
      CACHE_VERSION,
      scan.files.map((f) => [f.path, f.size, f.mtimeMs]),
      scan.skipped.map((s) => [s.path, s.code]),
    ]),
  );
}

type Cached = Omit<CacheMeta, 'fingerprint'> & { images: Uint8Array };

async function readCache(files: CacheFiles, fingerprint: string, size: number): Promise<Cached | null> {
  try {
    const meta = JSON.parse(await readFile(files.meta, 'utf8')) as CacheMeta;
    if (meta.fingerprint !== fingerprint) return null;
    const data = await readFile(files.pixels);
    const header = fingerprint.length;
    if (data.toString('latin1', 0, header) !== fingerprint) return null;
    const channels = meta.channels ?? 3; // entries written before alpha existed are RGB
    if (data.length - header !== meta.items.length * size * size * channels) return null;
    return { items: meta.items, skipped: meta.skipped, channels, images: new Uint8Array(data.buffer, data.byteOffset + header, data.length - header) };
  } catch {
    return null; // missing or damaged cache: decode again
  }
}

async function writeCache(files: CacheFiles, meta: CacheMeta, images: Uint8Array): Promise<void> {
  try {
    // Both files start with the fingerprint, so a pair torn by a crash is never taken for a cache hit.
    await mkdir(dirname(files.meta), { recursive: true });
    await writeFile(`${files.pixels}.tmp`, Buffer.concat([Buffer.from(meta.fingerprint, 'latin1'), images]));
    await rename(`${files.pixels}.tmp`, files.pixels);
    await writeFile(`${files.meta}.tmp`, JSON.stringify(meta));
    await rename(`${files.meta}.tmp`, files.meta);
  } catch {
    // A cache that cannot be written only costs the next load its speed; the dataset itself is loaded.
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
