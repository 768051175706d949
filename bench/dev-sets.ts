// Builds the two real development sets of docs/quality.md outside the repository (neither is
// redistributed here):
//   openmoji-dev: colour OpenMoji symbols of 12 subgroups, rendered by sharp to 64 px RGBA, a folder per
//                 subgroup (caption "animal mammal", …); from the `openmoji` npm package, CC BY-SA 4.0.
//   freeciv-dev:  unit sprites of the amplio2, trident and cimpletoon tilesets, on 64 px transparent
//                 squares, a folder per tileset and unit class ("amplio land"); from Debian's
//                 `freeciv-data` (apt-get install freeciv-data), GPL-2+.
//   npx tsx bench/dev-sets.ts <out-folder>
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

const SIZE = 64;
const out = process.argv[2];
if (!out) throw new Error('usage: npx tsx bench/dev-sets.ts <out-folder>');

const OPENMOJI_SUBGROUPS = [
  'animal-mammal',
  'animal-bird',
  'animal-bug',
  'plant-flower',
  'food-fruit',
  'food-vegetable',
  'heart',
  'face-smiling',
  'face-concerned',
  'transport-ground',
  'sky-weather',
  'clothing',
];

async function openmoji(dir: string): Promise<number> {
  const root = path.dirname(createRequire(import.meta.url).resolve('openmoji/package.json'));
  const entries = JSON.parse(await readFile(path.join(root, 'data/openmoji.json'), 'utf8')) as {
    hexcode: string;
    subgroups: string;
    skintone: string;
  }[];
  let n = 0;
  for (const group of OPENMOJI_SUBGROUPS) {
    const folder = path.join(dir, group.replace('-', ' '));
    await mkdir(folder, { recursive: true });
    for (const e of entries.filter((x) => x.subgroups === group && !x.skintone).slice(0, 40)) {
      await sharp(path.join(root, 'color/svg', `${e.hexcode}.svg`), { density: 4 * SIZE })
        .resize(SIZE, SIZE, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
        .png()
        .toFile(path.join(folder, `${e.hexcode.toLowerCase()}.png`));
      n++;
    }
  }
  return n;
}

const FREECIV = '/usr/share/games/freeciv';
const CLASS: Record<string, string> = {
  Land: 'land',
  'Big Land': 'land',
  Merchant: 'land',
  Sea: 'sea',
  Trireme: 'sea',
  Air: 'air',
  Helicopter: 'air',
  Missile: 'air',
};

/** graphic tag ("u.armor") → "land" | "sea" | "air", from the classic ruleset. */
async function unitClasses(): Promise<Map<string, string>> {
  const text = await readFile(path.join(FREECIV, 'classic/units.ruleset'), 'utf8');
  const classes = new Map<string, string>();
  for (const section of text.split(/^\[unit_/mu).slice(1)) {
    const cls = /^class\s*=\s*"([^"]+)"/mu.exec(section)?.[1];
    const graphic = /^graphic\s*=\s*"([^"]+)"/mu.exec(section)?.[1];
    if (cls && graphic && CLASS[cls]) classes.set(graphic, CLASS[cls]);
  }
  return classes;
}

/** Cuts the tagged cells of a tileset .spec's grid out of its sheet. */
async function* specSprites(spec: string): AsyncGenerator<{ tag: string; png: Sharp; w: number; h: number }> {
  const text = await readFile(path.join(FREECIV, spec), 'utf8');
  const gfx = /^gfx\s*=\s*"([^"]+)"/mu.exec(text)![1]!;
  const num = (key: string) => Number(new RegExp(`^${key}\\s*=\\s*(\\d+)`, 'mu').exec(text)?.[1] ?? 0);
  const [x0, y0, dx, dy, border] = ['x_top_left', 'y_top_left', 'dx', 'dy', 'pixel_border'].map(num) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const sheet = await readFile(path.join(FREECIV, `${gfx}.png`));
  for (const m of text.matchAll(/^\s*(\d+),\s*(\d+),\s*"([^"]+)"/gmu)) {
    const [row, col] = [Number(m[1]), Number(m[2])];
    const region = { left: x0 + col * (dx + border), top: y0 + row * (dy + border), width: dx, height: dy };
    yield { tag: m[3]!, png: sharp(sheet).ensureAlpha().extract(region), w: dx, h: dy };
  }
}

async function freeciv(dir: string): Promise<number> {
  const classes = await unitClasses();
  const sets = [
    { name: 'amplio', specs: ['amplio2/units.spec', 'amplio2/extra_units.spec'] },
    { name: 'trident', specs: ['trident/units.spec', 'trident/extra_units.spec'] },
    // Two of the eight facings, so each tileset has a similar number of sprites.
    { name: 'cimpletoon', specs: ['cimpletoon/orient_units.spec'], facings: ['_sw', '_se'] },
  ];
  let n = 0;
  for (const set of sets) {
    for (const spec of set.specs) {
      for await (const s of specSprites(spec)) {
        const facing = set.facings?.find((f) => s.tag.endsWith(f));
        if (set.facings && !facing) continue;
        const cls = classes.get(facing ? s.tag.slice(0, -facing.length) : s.tag);
        if (!cls) continue;
        // Trident's 30 px sprites are doubled (nearest) so every set's units are of a similar size.
        const scale = s.w < SIZE / 2 ? 2 : 1;
        const sprite = await s.png
          .resize(s.w * scale, s.h * scale, { kernel: 'nearest' })
          .png()
          .toBuffer();
        const folder = path.join(dir, `${set.name} ${cls}`);
        await mkdir(folder, { recursive: true });
        const pad = (total: number, used: number) => ({ a: Math.floor((total - used) / 2), b: Math.ceil((total - used) / 2) });
        const [px, py] = [pad(SIZE, s.w * scale), pad(SIZE, s.h * scale)];
        await sharp(sprite)
          .extend({ left: px.a, right: px.b, top: py.a, bottom: py.b, background: { r: 0, g: 0, b: 0, alpha: 0 } })
          .png()
          .toFile(path.join(folder, `${s.tag.replace(/[^a-z0-9_]/giu, '_')}.png`));
        n++;
      }
    }
  }
  return n;
}

console.log(`openmoji-dev: ${await openmoji(path.join(out, 'openmoji-dev'))} images`);
console.log(`freeciv-dev: ${await freeciv(path.join(out, 'freeciv-dev'))} images`);
