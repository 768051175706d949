// A large generated dataset for the memory benchmark: tiny coloured shapes on grey, captioned by their
// file names ("red_circle_small-000123.png" → "red circle small"). Image n is the same on every run, and
// files already there are kept, so an interrupted folder is completed rather than rebuilt.
//   npx tsx bench/shapes-folder.ts DIR COUNT [SIDE]
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pMap from 'p-map';
import sharp from 'sharp';

const COLOURS: Record<string, [number, number, number]> = {
  red: [220, 40, 40],
  green: [40, 180, 60],
  blue: [40, 80, 220],
  yellow: [230, 200, 40],
  purple: [140, 60, 180],
};
const SHAPES = ['square', 'circle', 'diamond', 'cross'] as const;
const SCALES = { small: 0.25, large: 0.42 } as const;

export function shapeName(n: number): string {
  const colours = Object.keys(COLOURS);
  const colour = colours[n % colours.length];
  const shape = SHAPES[Math.floor(n / colours.length) % SHAPES.length];
  const scale = Object.keys(SCALES)[Math.floor(n / (colours.length * SHAPES.length)) % 2];
  return `${colour}_${shape}_${scale}-${String(n).padStart(6, '0')}.png`;
}

function inside(shape: (typeof SHAPES)[number], dx: number, dy: number, r: number): boolean {
  if (shape === 'square') return Math.abs(dx) <= r && Math.abs(dy) <= r;
  if (shape === 'circle') return dx * dx + dy * dy <= r * r;
  if (shape === 'diamond') return Math.abs(dx) + Math.abs(dy) <= r;
  return Math.min(Math.abs(dx), Math.abs(dy)) <= r / 3 && Math.max(Math.abs(dx), Math.abs(dy)) <= r;
}

/** Image n as `side`² RGB: its shape at a position that varies with n. */
export function shapePixels(n: number, side: number): Buffer {
  const [, colour, shape, scale] = /^(\w+?)_(\w+?)_(\w+?)-/.exec(shapeName(n))!;
  const rgb = COLOURS[colour!];
  const r = SCALES[scale as keyof typeof SCALES] * side;
  const cx = side / 2 + ((n * 7) % 11) - 5;
  const cy = side / 2 + ((n * 13) % 11) - 5;
  const out = Buffer.alloc(side * side * 3, 150);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (inside(shape as (typeof SHAPES)[number], x - cx, y - cy, r)) out.set(rgb!, (y * side + x) * 3);
    }
  }
  return out;
}

export async function writeShapesFolder(dir: string, count: number, side = 144, onProgress?: (done: number) => void): Promise<void> {
  mkdirSync(dir, { recursive: true });
  let done = 0;
  await pMap(
    Array.from({ length: count }, (_, n) => n),
    async (n) => {
      const file = path.join(dir, shapeName(n));
      if (!existsSync(file))
        await sharp(shapePixels(n, side), { raw: { width: side, height: side, channels: 3 } })
          .png()
          .toFile(file);
      if (++done % 1000 === 0) onProgress?.(done);
    },
    { concurrency: 4 },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, count, side] = process.argv.slice(2);
  if (!dir || !count) throw new Error('usage: npx tsx bench/shapes-folder.ts DIR COUNT [SIDE]');
  const t0 = Date.now();
  await writeShapesFolder(dir, Number(count), side ? Number(side) : undefined, (done) =>
    process.stdout.write(`${done} images, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`),
  );
}
