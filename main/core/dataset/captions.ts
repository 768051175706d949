// Where an image's caption comes from, in order: a sidecar file beside it (`name.txt`, then
// `name.caption`), the names of the folders below the dataset root, then the image's own file name.
// Folder and file names lose their numbers and separators: "red_circle-003.png" → "red circle".
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { normalizeText } from '#shared/text/tokenize';

export type CaptionSource = 'sidecar' | 'folder' | 'filename';

export interface Caption {
  text: string;
  source: CaptionSource;
}

/** Sidecar extensions, the first one found wins. */
export const SIDECAR_EXTENSIONS = ['.txt', '.caption'] as const;
// A caption is a line or a paragraph; more than this is not a caption and is not read further.
const MAX_SIDECAR_BYTES = 64 * 1024;

/** Extension of a path's last segment, lower-cased, with the dot ('' when there is none). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** The key an image and its sidecar share: the relative path without its extension. */
export function captionKey(path: string): string {
  const ext = extensionOf(path);
  return ext ? path.slice(0, -ext.length) : path;
}

export function isSidecar(path: string): boolean {
  return (SIDECAR_EXTENSIONS as readonly string[]).includes(extensionOf(path));
}

/** A file or folder name as caption words: no extension, numbers or separators. */
export function cleanName(name: string): string {
  return normalizeText(name.replace(/[\p{Nd}_\-.+~()[\]{}#@]+/gu, ' '));
}

/** The caption a path gives when there is no sidecar: folder names, else the file name. */
export function captionFromPath(path: string): Caption {
  const parts = path.split('/');
  const fileName = captionKey(parts.pop()!);
  const folders = parts.map(cleanName).filter((t) => t.length > 0);
  if (folders.length > 0) return { text: folders.join(', '), source: 'folder' };
  return { text: cleanName(fileName), source: 'filename' };
}

/** A sidecar's caption, normalised; null when it is empty or cannot be read. */
export async function readSidecar(abs: string): Promise<string | null> {
  try {
    // Non-blocking, so a FIFO swapped in after the scan cannot hang the open; then regular files only.
    const file = await open(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      if (!(await file.stat()).isFile()) return null;
      const buf = Buffer.alloc(MAX_SIDECAR_BYTES);
      const { bytesRead } = await file.read(buf, 0, MAX_SIDECAR_BYTES, 0);
      const text = normalizeText(
        buf
          .subarray(0, bytesRead)
          .toString('utf8')
          .replace(/^\uFEFF/u, ''),
      );
      return text.length > 0 ? text : null;
    } finally {
      await file.close();
    }
  } catch {
    // An unreadable sidecar falls back to the folder or file name; the image itself is still fine.
    return null;
  }
}

/** The caption of an image, given the sidecar file (if any) that shares its key. */
export async function resolveCaption(path: string, sidecarAbs: string | undefined): Promise<Caption> {
  const text = sidecarAbs ? await readSidecar(sidecarAbs) : null;
  return text !== null ? { text, source: 'sidecar' } : captionFromPath(path);
}
