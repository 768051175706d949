// Seam error of a tile: how much pixels differ across the wrap (last column → first column, bottom
// row → top row) compared with neighbours inside the image. A seamless tile's wrap looks like any
// other pair of neighbours (ratio near 1); an ordinary image's edges are unrelated (ratio well above 1).
import type { TileMode } from '#shared/recipe';

export interface SeamError {
  /** Mean absolute difference across the wrap, in 0–255 units. */
  wrap: number;
  /** Mean absolute difference between neighbouring pixels inside the image. */
  interior: number;
}

/** `pixels`: width×height×channels bytes, row-major. */
export function seamError(pixels: Uint8Array, width: number, height: number, channels: number, mode: TileMode): SeamError {
  const at = (x: number, y: number, c: number) => pixels[(y * width + x) * channels + c]!;
  let [wrap, nWrap, interior, nInterior] = [0, 0, 0, 0];
  for (let c = 0; c < channels; c++) {
    if (mode.includes('x')) {
      for (let y = 0; y < height; y++) {
        wrap += Math.abs(at(width - 1, y, c) - at(0, y, c));
        nWrap++;
        for (let x = 0; x + 1 < width; x++, nInterior++) interior += Math.abs(at(x + 1, y, c) - at(x, y, c));
      }
    }
    if (mode.includes('y')) {
      for (let x = 0; x < width; x++) {
        wrap += Math.abs(at(x, height - 1, c) - at(x, 0, c));
        nWrap++;
        for (let y = 0; y + 1 < height; y++, nInterior++) interior += Math.abs(at(x, y + 1, c) - at(x, y, c));
      }
    }
  }
  return { wrap: wrap / nWrap, interior: interior / nInterior };
}
