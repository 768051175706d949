// The bundled demo dataset: OpenMoji's plain geometric colour symbols (hearts, circles, squares, hexagons,
// diamonds, colour flags), captioned "colour, shape" from their annotations. Few, clean and factorised
// into colour × shape, so a 32 px model trained for minutes can learn to follow the prompt.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

export const OPENMOJI_CREDIT = 'Demo images: OpenMoji (https://openmoji.org), licensed CC BY-SA 4.0';

/** Captions the demo sample sheet shows: every shape, a spread of colours, all present in the dataset. */
export const DEMO_PROMPTS = [
  'red, heart',
  'blue, heart',
  'yellow, circle',
  'purple, circle',
  'green, square',
  'orange, hexagon',
  'blue, diamond',
  'red, flag',
];

const COLOUR = '(red|orange|yellow|green|blue|light blue|purple|pink|brown|black|white|grey)';
// "black large square" and "large orange diamond" both reduce to colour + shape.
const ANNOTATION = new RegExp(`^(?:large )?${COLOUR} (?:large )?(circle|square|heart|hexagon|diamond|flag)$`);
// 'flags' holds the waving black and white flags (a different shape from the plain colour flags);
// 'extras-unicode' repeats some symbols in another style and has a placeholder for "white square".
const EXCLUDED_GROUPS = new Set(['flags', 'extras-unicode']);

interface Entry {
  hexcode: string;
  group: string;
  annotation: string;
}

export interface DemoImage {
  hexcode: string;
  caption: string;
}

const packageRoot = path.dirname(createRequire(import.meta.url).resolve('openmoji/package.json'));

/** The chosen symbols with their captions, in the package's order. */
export async function openmojiSubset(): Promise<DemoImage[]> {
  const entries = JSON.parse(await readFile(path.join(packageRoot, 'data/openmoji.json'), 'utf8')) as Entry[];
  return entries.flatMap((e) => {
    const m = ANNOTATION.exec(e.annotation);
    return m && !EXCLUDED_GROUPS.has(e.group) ? [{ hexcode: e.hexcode, caption: `${m[1]}, ${m[2]}` }] : [];
  });
}

/** Rasterises the subset to `size` px PNGs (white background, centred, small margin) with `.txt` captions. */
export async function writeOpenmojiDataset(dir: string, opts: { size: number }): Promise<{ count: number; captions: string[] }> {
  const { size } = opts;
  const margin = Math.max(1, Math.round(size / 16));
  const subset = await openmojiSubset();
  await mkdir(dir, { recursive: true });
  for (const { hexcode, caption } of subset) {
    const svg = path.join(packageRoot, 'color/svg', `${hexcode}.svg`);
    // Render at 4× so the downscale antialiases; trim so every symbol fills the frame the same way.
    const large = await sharp(svg, { density: 4 * size })
      .flatten({ background: '#ffffff' })
      .png()
      .toBuffer();
    const png = await sharp(large)
      .trim({ background: '#ffffff', threshold: 10 })
      .resize(size - 2 * margin, size - 2 * margin, { fit: 'contain', background: '#ffffff' })
      .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#ffffff' })
      .removeAlpha()
      .png()
      .toBuffer();
    const name = `${caption.replace(/[, ]+/g, '-')}-${hexcode.toLowerCase()}`;
    await writeFile(path.join(dir, `${name}.png`), png);
    await writeFile(path.join(dir, `${name}.txt`), `${caption}\n`);
  }
  return { count: subset.length, captions: subset.map((s) => s.caption) };
}
