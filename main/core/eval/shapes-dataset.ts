// Synthetic attribute dataset for `homegrown eval`: one coloured shape on a light background, captioned
// "colour, shape". The geometry here is also what the adherence analyser matches against, so the two
// cannot drift apart.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { Rng } from '#shared/rng';

/** Named colours, far apart in RGB and all clearly darker or more saturated than the light backgrounds. */
export const COLOURS = {
  red: [214, 40, 40],
  green: [30, 150, 60],
  blue: [40, 80, 210],
  yellow: [240, 190, 20],
} as const satisfies Record<string, readonly [number, number, number]>;

export type Colour = keyof typeof COLOURS;
export const COLOUR_NAMES = Object.keys(COLOURS) as Colour[];
export const SHAPE_NAMES = ['circle', 'square', 'triangle', 'cross'] as const;
export type Shape = (typeof SHAPE_NAMES)[number];

export type Point = [number, number];

/** Shape outline centred on its area centroid, at unit "radius", rotated by `angle` radians. */
export function shapePolygon(shape: Shape, angle = 0): Point[] {
  let pts: Point[];
  switch (shape) {
    case 'circle':
      pts = regular(48, 1, 0);
      break;
    case 'square':
      pts = regular(4, 1.2, Math.PI / 4); // half-side 0.85
      break;
    case 'triangle':
      pts = regular(3, 1.2, -Math.PI / 2); // pointing up
      break;
    case 'cross': {
      const a = 1;
      const w = 0.34; // arm half-width: thick enough to survive 32 px and blur
      pts = [
        [-w, -a],
        [w, -a],
        [w, -w],
        [a, -w],
        [a, w],
        [w, w],
        [w, a],
        [-w, a],
        [-w, w],
        [-a, w],
        [-a, -w],
        [-w, -w],
      ];
      break;
    }
  }
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return pts.map(([x, y]) => [x * c - y * s, x * s + y * c]);
}

function regular(n: number, r: number, start: number): Point[] {
  return Array.from({ length: n }, (_, i): Point => {
    const t = start + (2 * Math.PI * i) / n;
    return [r * Math.cos(t), r * Math.sin(t)];
  });
}

export interface ShapesDatasetOptions {
  size: number;
  perCombo: number;
  seed: number;
  /** A combination left out of the training set, to measure generalisation to an unseen prompt. */
  holdOut?: { colour: string; shape: string };
}

export interface ShapeSpec {
  colour: Colour;
  shape: Shape;
}

/** Every colour × shape combination, in a fixed order. */
export function allCombos(): ShapeSpec[] {
  return COLOUR_NAMES.flatMap((colour) => SHAPE_NAMES.map((shape) => ({ colour, shape })));
}

/** An SVG of one random instance of `spec`: position, size, rotation, tint and background jitter. */
function shapeSvg(spec: ShapeSpec, size: number, rng: Rng): string {
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.float();
  const bg = [u(232, 255), u(232, 255), u(232, 255)];
  const fg = COLOURS[spec.colour].map((v) => clamp(v + u(-12, 12)));
  const r = size * u(0.22, 0.32);
  const margin = r * 1.25 + 1;
  const cx = u(margin, size - margin);
  const cy = u(margin, size - margin);
  const angle = spec.shape === 'circle' ? 0 : (u(-15, 15) * Math.PI) / 180;
  const points = shapePolygon(spec.shape, angle)
    .map(([x, y]) => `${(cx + r * x).toFixed(2)},${(cy + r * y).toFixed(2)}`)
    .join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
    `<rect width="100%" height="100%" fill="${rgb(bg)}"/>` +
    `<polygon points="${points}" fill="${rgb(fg)}"/></svg>`
  );
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const rgb = (c: number[]) => `rgb(${c.map(clamp).join(',')})`;

/** Writes `<colour>-<shape>-<n>.png` with a sidecar `.txt` caption "colour, shape" for every kept combo. */
export async function writeShapesDataset(
  dir: string,
  opts: ShapesDatasetOptions,
): Promise<{ count: number; combos: { colour: string; shape: string }[] }> {
  const { size, perCombo, seed, holdOut } = opts;
  if (holdOut && !allCombos().some((c) => c.colour === holdOut.colour && c.shape === holdOut.shape)) {
    throw new Error(`unknown hold-out combination "${holdOut.colour}, ${holdOut.shape}"`);
  }
  const combos = allCombos().filter((c) => !(c.colour === holdOut?.colour && c.shape === holdOut?.shape));
  await mkdir(dir, { recursive: true });
  // Each combo gets its own stream so holding one out does not change the images of the others.
  const root = new Rng(seed);
  const streams = new Map(allCombos().map((c) => [`${c.colour}-${c.shape}`, root.fork()]));
  const digits = String(perCombo - 1).length;
  for (const combo of combos) {
    const rng = streams.get(`${combo.colour}-${combo.shape}`)!;
    for (let i = 0; i < perCombo; i++) {
      const name = `${combo.colour}-${combo.shape}-${String(i).padStart(digits, '0')}`;
      const png = await sharp(Buffer.from(shapeSvg(combo, size, rng)))
        .removeAlpha()
        .png()
        .toBuffer();
      await writeFile(path.join(dir, `${name}.png`), png);
      await writeFile(path.join(dir, `${name}.txt`), `${combo.colour}, ${combo.shape}\n`);
    }
  }
  return { count: combos.length * perCombo, combos };
}
