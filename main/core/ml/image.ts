// Conversions between model outputs and 8-bit RGB pixels, and sample sheets (image grids).
import sharp from 'sharp';
import { tf } from './tf';

/** [B, S, S, 3] in [-1, 1] → one RGB byte array per image. */
export function toRgbBytes(x: tf.Tensor4D): Uint8Array[] {
  const [b, h, w] = x.shape;
  const px = h * w * 3;
  const bytes = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(x, 1), 127.5)), 0, 255));
  const data = bytes.dataSync();
  bytes.dispose();
  return Array.from({ length: b }, (_, i) => Uint8Array.from(data.subarray(i * px, (i + 1) * px)));
}

/** Lays out equally sized RGB images in a grid with a 2 px gap, row by row. */
export function gridRgb(images: Uint8Array[], size: number, cols: number, gap = 2): { data: Uint8Array; width: number; height: number } {
  const rows = Math.ceil(images.length / cols);
  const width = cols * size + (cols + 1) * gap;
  const height = rows * size + (rows + 1) * gap;
  const data = new Uint8Array(width * height * 3).fill(255);
  images.forEach((img, i) => {
    const ox = gap + (i % cols) * (size + gap);
    const oy = gap + Math.floor(i / cols) * (size + gap);
    for (let y = 0; y < size; y++) data.set(img.subarray(y * size * 3, (y + 1) * size * 3), ((oy + y) * width + ox) * 3);
  });
  return { data, width, height };
}

/** Encodes RGB bytes as PNG deterministically (no timestamps or other varying chunks). */
export async function encodePng(data: Uint8Array, width: number, height: number, scale = 1): Promise<Buffer> {
  let img = sharp(data, { raw: { width, height, channels: 3 } });
  if (scale > 1) img = img.resize(width * scale, height * scale, { kernel: 'nearest' });
  return img.png({ compressionLevel: 9 }).toBuffer();
}
