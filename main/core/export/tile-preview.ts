// A tile repeated 3×3, so the artist sees at a glance whether the seams show.
import type { RgbaImage } from './rgba';

export function tilePreview(tile: RgbaImage, repeat = 3): RgbaImage {
  const width = tile.width * repeat;
  const height = tile.height * repeat;
  const data = new Uint8Array(width * height * 4);
  const row = tile.width * 4;
  for (let y = 0; y < height; y++) {
    const src = tile.data.subarray((y % tile.height) * row, (y % tile.height + 1) * row);
    for (let r = 0; r < repeat; r++) data.set(src, (y * width + r * tile.width) * 4);
  }
  return { data, width, height };
}
