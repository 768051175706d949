// One image the user hands in (an edit's source, an animation's first frame): checked and decoded
// exactly like a training image, so the model sees what it was trained on, and identified by the
// SHA-256 of its file for the output's recipe.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { UserError } from '../errors';
import { decodeSquare, DEFAULT_MAX_PIXELS, type Fit, readHeader } from './decode';
import { ImageRejected } from './skip';

export interface InputImage {
  /** size² RGB, sRGB 8-bit, row-major HWC. */
  pixels: Uint8Array;
  /** SHA-256 of the file's bytes. */
  sha256: string;
  /** The file's own width and height (after EXIF orientation), before resizing. */
  width: number;
  height: number;
}

export async function loadInputImage(file: string, opts: { size: number; fit: Fit; maxPixels?: number }): Promise<InputImage> {
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new UserError(
      `cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a folder' : e.message}`,
    );
  });
  return inputImageFromBytes(bytes, opts, file);
}

/** The same for bytes the app was handed (a dropped file); `name` is for messages. */
export async function inputImageFromBytes(
  bytes: Buffer,
  opts: { size: number; fit: Fit; maxPixels?: number },
  name: string,
): Promise<InputImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  try {
    const { width, height } = await readHeader(bytes, maxPixels);
    const pixels = await decodeSquare(bytes, { size: opts.size, fit: opts.fit, maxPixels });
    return { pixels, sha256: createHash('sha256').update(bytes).digest('hex'), width, height };
  } catch (e) {
    if (e instanceof ImageRejected) throw new UserError(`${name}: ${e.message}`);
    throw e;
  }
}
