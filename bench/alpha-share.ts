// How much of each folder's PNG pixels are transparent (alpha < 16), opaque (alpha > 239) or in between,
// averaged over the images at 32 px: compares an RGBA model's samples with its dataset.
// Usage: npx tsx bench/alpha-share.ts <folder> [folder…]
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

async function shares(file: string): Promise<number[]> {
  const data = await sharp(file).resize(32, 32, { fit: 'cover' }).ensureAlpha().raw().toBuffer();
  const s = [0, 0, 0];
  for (let i = 3; i < data.length; i += 4) s[data[i]! < 16 ? 0 : data[i]! > 239 ? 1 : 2]! += 4 / data.length;
  return s;
}

const folders = process.argv.slice(2);
if (folders.length === 0) throw new Error('usage: npx tsx bench/alpha-share.ts <folder> [folder…]');
for (const dir of folders) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.png'));
  const all = await Promise.all(files.map((f) => shares(join(dir, f))));
  const mean = [0, 1, 2].map((k) => all.reduce((a, s) => a + s[k]!, 0) / all.length);
  console.log(
    `${dir}: ${files.length} images, transparent ${mean[0]!.toFixed(3)}, opaque ${mean[1]!.toFixed(3)}, partial ${mean[2]!.toFixed(3)}`,
  );
}
