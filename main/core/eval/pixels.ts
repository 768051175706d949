// Images as the eval metrics see them: RGB over white (transparency composited away, as the dataset
// loader flattens it), resampled to a small square by area averaging, as floats in [0, 1].

/** RGB bytes of an RGB (3) or straight RGBA (4) image, composited over white. */
export function overWhite(pixels: Uint8Array, channels: 3 | 4): Uint8Array {
  if (channels === 3) return pixels;
  const out = new Uint8Array((pixels.length / 4) * 3);
  for (let i = 0, o = 0; i < pixels.length; i += 4, o += 3) {
    const a = pixels[i + 3]! / 255;
    for (let c = 0; c < 3; c++) out[o + c] = Math.round(pixels[i + c]! * a + 255 * (1 - a));
  }
  return out;
}

/**
 * A `size`² RGB image resampled to `side`² floats in [0, 1]: each output pixel is the mean of the source
 * pixels whose centres fall in its cell (nearest pixel when the source is smaller).
 */
export function resample(rgb: Uint8Array, size: number, side: number): Float32Array {
  const out = new Float32Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const [y0, y1] = cell(y, size, side);
    for (let x = 0; x < side; x++) {
      const [x0, x1] = cell(x, size, side);
      const o = (y * side + x) * 3;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) for (let c = 0; c < 3; c++) out[o + c]! += rgb[(sy * size + sx) * 3 + c]!;
      }
      const n = 255 * (y1 - y0) * (x1 - x0);
      for (let c = 0; c < 3; c++) out[o + c]! /= n;
    }
  }
  return out;
}

function cell(i: number, size: number, side: number): [number, number] {
  const from = Math.floor((i * size) / side);
  return [from, Math.max(from + 1, Math.floor(((i + 1) * size) / side))];
}

/** Side of the thumbnails that copies and nearest training images are measured on. */
export const PIXEL_SIDE = 16;

/** The pixel-space feature of an image: its 16 × 16 RGB thumbnail over white. */
export function pixelFeature(pixels: Uint8Array, size: number, channels: 3 | 4): Float32Array {
  return resample(overWhite(pixels, channels), size, PIXEL_SIDE);
}
