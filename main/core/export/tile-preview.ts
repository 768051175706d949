// A tile repeated 3×3, so the artist sees at a glance whether the seams show.
import fs from 'node:fs/promises';
import { encodeWithRecipe, readImageRecipe } from '../media/recipe-meta';
import { decodeRgba, rgbaPipeline, type RgbaImage } from './rgba';

export function tilePreview(tile: RgbaImage, repeat = 3): RgbaImage {
  const width = tile.width * repeat;
  const height = tile.height * repeat;
  const data = new Uint8Array(width * height * 4);
  const row = tile.width * 4;
  for (let y = 0; y < height; y++) {
    const src = tile.data.subarray((y % tile.height) * row, ((y % tile.height) + 1) * row);
    for (let r = 0; r < repeat; r++) data.set(src, (y * width + r * tile.width) * 4);
  }
  return { data, width, height };
}

/** Writes `<tile>-3x3.png` beside a tile PNG, carrying the tile's recipe (replacing an older preview). */
export async function writeTilePreview(tileFile: string): Promise<string> {
  const preview = tileFile.replace(/\.png$/iu, '-3x3.png');
  const bytes = await fs.readFile(tileFile);
  const { recipe } = await readImageRecipe(bytes);
  await fs.writeFile(preview, await encodeWithRecipe(rgbaPipeline(tilePreview(await decodeRgba(bytes))), 'png', recipe));
  return preview;
}
