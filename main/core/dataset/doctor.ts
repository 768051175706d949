// The Dataset Doctor: examines every file a scan found and says, for each, whether it is accepted as a
// training image (with what it is and its caption), used as a caption, or skipped and why. The training
// loader runs the same examination, so what the report accepts is exactly what trains.
import pMap from 'p-map';
import { captionTokens } from '#shared/text/tokenize';
import { captionKey, extensionOf, isSidecar, resolveCaption, SIDECAR_EXTENSIONS } from './captions';
import { UnreadableFile } from '../files/read-regular';
import {
  decodeNativeRgba,
  decodeThumbnail,
  DEFAULT_MAX_PIXELS,
  IMAGE_EXTENSIONS,
  readHeader,
  readImageFile,
  THUMBNAIL_SIDE,
  type ImageHeader,
} from './decode';
import { detectPixelArt, PIXEL_ART_MAX_SIDE } from './pixel-art';
import { DETAIL_SIDE, nearDuplicateGroups, signatureOf, type ImageSignature } from './phash';
import { scanFolder, type FoundFile, type ScanOptions, type ScanResult } from './scan';
import { findSequences, type Sequence } from './sequences';
import { describeFsError, ImageRejected, type Skip } from './skip';
import type { AcceptedImage, ReportEntry, SkippedFile } from './report-entry';
import { summarise, type Summary } from './summary';

export type { AcceptedImage, CaptionFile, ReportEntry, SkippedFile } from './report-entry';

export interface DoctorReport {
  root: string;
  maxPixels: number;
  /** Every entry found, sorted by path. */
  files: ReportEntry[];
  nearDuplicates: string[][];
  /** Folders of numbered frames (animation sequences), in natural order. */
  sequences: Sequence[];
  /** Caption tokens with the number of images whose caption has them, most frequent first. */
  vocabulary: { token: string; count: number }[];
  summary: Summary;
}

export interface DoctorOptions extends ScanOptions {
  maxPixels?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Called with each image about to be accepted and its bytes (already in memory), e.g. to decode it
   * for training or write a fixed copy. Throwing ImageRejected skips the image instead.
   */
  onAccepted?: (image: AcceptedImage, bytes: Buffer) => Promise<void>;
  /**
   * Look for near-duplicates (default true). The training loader does not: the pixel check decodes a
   * second thumbnail of every image and keeps it until the whole folder is examined.
   */
  nearDuplicates?: boolean;
}

/** Larger files are refused without reading them: the whole file is read into memory to decode it. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
// Files examined at once: sharp decodes on libuv's threads, and each file in flight is held in memory.
const CONCURRENCY = 4;

export async function examineFolder(folder: string, opts: DoctorOptions = {}): Promise<DoctorReport> {
  return examineScan(await scanFolder(folder, opts), opts);
}

export async function examineScan(scan: ScanResult, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const { sidecarOf, imagesOf } = pairCaptions(scan.files);
  const findDuplicates = opts.nearDuplicates ?? true;
  const signatures = new Map<string, ImageSignature>();
  let done = 0;
  const examined = await pMap(
    scan.files,
    async (file): Promise<ReportEntry> => {
      let entry: ReportEntry;
      if (isImageFile(file.path)) {
        const result = await examineImage(file, sidecarOf.get(captionKey(file.path)), maxPixels, opts.onAccepted, findDuplicates);
        if ('signature' in result && result.signature) signatures.set(file.path, result.signature);
        entry = result.entry;
      } else {
        entry = examineOther(file, sidecarOf, imagesOf);
      }
      opts.onProgress?.(++done, scan.files.length);
      return entry;
    },
    { concurrency: CONCURRENCY },
  );
  const files = [...examined, ...scan.skipped.map((s): SkippedFile => ({ ...s, status: 'skipped' }))].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const accepted = files.filter((f): f is AcceptedImage => f.status === 'accepted');
  const sequences = findSequences(accepted);
  // Frames of one animation are meant to look alike: a group made only of them is no duplicate.
  const sequenceOf = new Map(sequences.flatMap((q) => q.frames.map((f) => [f, q.folder])));
  const oneSequence = (group: string[]) => sequenceOf.has(group[0]!) && group.every((p) => sequenceOf.get(p) === sequenceOf.get(group[0]!));
  const nearDuplicates = findDuplicates
    ? nearDuplicateGroups(accepted.map((a) => ({ path: a.path, signature: signatures.get(a.path)! }))).filter((g) => !oneSequence(g))
    : [];
  return {
    root: scan.root,
    maxPixels,
    files,
    nearDuplicates,
    sequences,
    vocabulary: vocabularyOf(accepted),
    summary: summarise(files, nearDuplicates, sequences),
  };
}

export function isImageFile(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(path));
}

async function examineImage(
  file: FoundFile,
  sidecar: FoundFile | undefined,
  maxPixels: number,
  onAccepted: DoctorOptions['onAccepted'],
  findDuplicates: boolean,
): Promise<{ entry: AcceptedImage; signature?: ImageSignature } | { entry: SkippedFile }> {
  const skip = (code: Skip['code'], reason: string) => ({ entry: { path: file.path, status: 'skipped' as const, code, reason } });
  if (file.size === 0) return skip('empty', 'empty file (0 bytes)');
  if (file.size > MAX_FILE_BYTES) {
    return skip('too-large', `file is ${mb(file.size)}, more than the ${mb(MAX_FILE_BYTES)} an image may have`);
  }
  let bytes: Buffer;
  try {
    // Not a plain read: the file may have become a FIFO or a stalled mount since the scan.
    bytes = await readImageFile(file.abs);
  } catch (err) {
    if (err instanceof UnreadableFile) return skip('unreadable', err.message);
    return skip('unreadable', `cannot read: ${describeFsError(err)}`);
  }
  try {
    const header = await readHeader(bytes, maxPixels);
    const thumbnail = await decodeThumbnail(bytes, maxPixels);
    const detail = findDuplicates ? await decodeThumbnail(bytes, maxPixels, DETAIL_SIDE) : new Uint8Array(0);
    const signature = signatureOf(thumbnail, THUMBNAIL_SIDE, detail);
    const caption = await resolveCaption(file.path, sidecar?.abs);
    const entry: AcceptedImage = {
      path: file.path,
      status: 'accepted',
      ...header,
      bytes: file.size,
      alphaUsed: header.hasAlpha && usesAlpha(thumbnail),
      pixelArt: await isPixelArt(bytes, header, maxPixels),
      caption: caption.text,
      captionSource: caption.source,
      phash: signature.hash,
    };
    await onAccepted?.(entry, bytes);
    return findDuplicates ? { entry, signature } : { entry };
  } catch (err) {
    if (err instanceof ImageRejected) return skip(err.code, err.message);
    throw err;
  }
}

/** Lossy JPEGs and images too large for pixel art (even scaled up 4×) are not decoded again to check. */
async function isPixelArt(bytes: Buffer, header: ImageHeader, maxPixels: number): Promise<boolean> {
  if (header.format === 'jpeg' || Math.max(header.width, header.height) > 4 * PIXEL_ART_MAX_SIDE) return false;
  const image = await decodeNativeRgba(bytes, maxPixels);
  return detectPixelArt(image.data, image.width, image.height).pixelArt;
}

/** A file that is not an image: a sidecar caption, or skipped. */
function examineOther(file: FoundFile, sidecarOf: Map<string, FoundFile>, imagesOf: Map<string, string[]>): ReportEntry {
  const skip = (code: Skip['code'], reason: string): SkippedFile => ({ path: file.path, status: 'skipped', code, reason });
  if (isSidecar(file.path)) {
    const key = captionKey(file.path);
    const used = sidecarOf.get(key);
    if (used === file) return { path: file.path, status: 'caption', for: imagesOf.get(key)! };
    return skip(
      'unused-caption',
      used ? `not used: "${used.path}" captions the same image` : 'caption file with no image of the same name',
    );
  }
  const ext = extensionOf(file.path);
  const what = ext ? `${ext} files are` : 'a file without an extension is';
  return skip('not-image-type', `${what} not read (images: png, jpg, webp, gif, tiff, avif)`);
}

/** Which sidecar captions each caption key (the first extension found wins), and the images of each key. */
function pairCaptions(files: FoundFile[]) {
  const imagesOf = new Map<string, string[]>();
  for (const f of files.filter((file) => isImageFile(file.path))) {
    const key = captionKey(f.path);
    imagesOf.set(key, [...(imagesOf.get(key) ?? []), f.path]);
  }
  const sidecarOf = new Map<string, FoundFile>();
  for (const ext of SIDECAR_EXTENSIONS) {
    for (const f of files) {
      const key = captionKey(f.path);
      if (extensionOf(f.path) === ext && imagesOf.has(key) && !sidecarOf.has(key)) sidecarOf.set(key, f);
    }
  }
  return { sidecarOf, imagesOf };
}

function usesAlpha(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 255) return true;
  return false;
}

function vocabularyOf(images: AcceptedImage[]): { token: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const image of images) {
    for (const token of new Set(captionTokens(image.caption))) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return [...counts].map(([token, count]) => ({ token, count })).sort((a, b) => b.count - a.count || (a.token < b.token ? -1 : 1));
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
