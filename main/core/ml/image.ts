// Conversions between model outputs and 8-bit RGB pixels, and sample sheets (image grids).
import { tf } from '../compute/tf';

/**
 * [B, S, S, 3] in [-1, 1] → one RGB byte array per image. Read back asynchronously: the webgpu backend
 * cannot read synchronously in Node, and waiting frees the event loop while the GPU draws.
 */
export async function toRgbBytes(x: tf.Tensor4D): Promise<Uint8Array[]> {
  const [b, h, w] = x.shape;
  const px = h * w * 3;
  const bytes = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(tf.add(x, 1), 127.5)), 0, 255));
  const data = await bytes.data();
  bytes.dispose();
  return Array.from({ length: b }, (_, i) => Uint8Array.from(data.subarray(i * px, (i + 1) * px)));
}

/** One image's RGB bytes [S·S·3] → the model's input [1, S, S, 3] in [-1, 1]. */
export function pixelsToTensor(pixels: Uint8Array, size: number): tf.Tensor4D {
  return tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(pixels), [1, size, size, 3]), 127.5), 1) as tf.Tensor4D);
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
