// PNG encoding of raw pixel bytes for sample sheets and generations.
import sharp from 'sharp';

/** Encodes RGB (or RGBA) bytes as PNG deterministically (no timestamps or other varying chunks). */
export async function encodePng(data: Uint8Array, width: number, height: number, scale = 1, channels: 3 | 4 = 3): Promise<Buffer> {
  let img = sharp(data, { raw: { width, height, channels } });
  if (scale > 1) img = img.resize(width * scale, height * scale, { kernel: 'nearest' });
  return img.png({ compressionLevel: 9 }).toBuffer();
}
