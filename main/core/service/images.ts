// Images by kind and id, never by path: generations and sample sheets from the app data folder,
// dataset images as thumbnails from the user's folder. A file that resolves (through symlinks)
// outside the folder it belongs to (the app data folder; a sample sheet's run folder) is refused, as
// is any id that is not a plain positive integer.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { IMAGE_KINDS, type ImageKind } from '#shared/api/names';
import { DECODE_TIMEOUT_SECONDS, DEFAULT_MAX_PIXELS, readHeader, readImageFile } from '../dataset/decode';
import { UnreadableFile } from '../files/read-regular';
import type { Store } from '../store';
import { isWithin } from '../files/paths';
import type { DatasetService } from './datasets';

export interface ImageData {
  data: Buffer;
  contentType: string;
}

const THUMBNAIL_SIDE = 256;
const ID = /^[1-9][0-9]{0,14}$/u;
const TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

export function isImageKind(kind: string): kind is ImageKind {
  return (IMAGE_KINDS as readonly string[]).includes(kind);
}

export class ImageService {
  constructor(
    private readonly store: Store,
    private readonly datasets: DatasetService,
  ) {}

  /**
   * The image, or null when the kind, id or file is not one we serve. A dataset file that is there but
   * cannot be read (a FIFO, a device, a stalled drive) throws UnreadableFile, saying so.
   */
  async get(kind: string, idText: string): Promise<ImageData | null> {
    if (!isImageKind(kind) || !ID.test(idText)) return null;
    const id = Number(idText);
    try {
      if (kind === 'dataset') return await this.thumbnail(id);
      const row =
        kind === 'generation'
          ? this.store.generations.get(id)
          : this.store.db.prepare<[number], { path: string }>('SELECT path FROM sample_sheets WHERE id = ?').get(id);
      if (!row) return null;
      const file = this.store.files.resolve(row.path);
      // A sheet lies in its run folder (samples/), which may be one kept outside, reached through a link.
      const home = kind === 'sheet' ? path.dirname(path.dirname(file)) : this.store.files.root;
      const [realHome, real] = await Promise.all([fs.realpath(home), fs.realpath(file)]);
      if (!isWithin(realHome, real)) return null;
      return { data: await readImageFile(real), contentType: TYPES[path.extname(real).toLowerCase()] ?? 'application/octet-stream' };
    } catch (err) {
      if (err instanceof UnreadableFile) throw err;
      return null;
    }
  }

  private async thumbnail(imageId: number): Promise<ImageData | null> {
    const row = this.datasets.imageRow(imageId);
    const dataset = row && this.store.datasets.get(row.datasetId);
    if (!row || !dataset) return null;
    const bytes = await readImageFile(await this.datasets.fileOf(dataset.root, row.path));
    // The header check lets only accepted formats under the pixel limit reach the decoder.
    await readHeader(bytes, DEFAULT_MAX_PIXELS);
    const data = await sharp(bytes, { limitInputPixels: DEFAULT_MAX_PIXELS, pages: 1 })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .rotate()
      .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
    return { data, contentType: 'image/png' };
  }
}
