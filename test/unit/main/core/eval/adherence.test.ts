import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '#shared/rng';
import { classifyImage, scoreAdherence, type AdherenceSample } from '#core/eval/adherence';
import { allCombos, writeShapesDataset } from '#core/eval/shapes-dataset';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

type Degrade = (image: Sharp, size: number) => Sharp;

const PER_COMBO = 5;
const written = new Map<number, Promise<{ png: Buffer; colour: string; shape: string }[]>>();

/** Fresh ground truth (a seed the analyser was not tuned on), written once per size. */
function dataset(size: number) {
  if (!written.has(size)) {
    written.set(
      size,
      (async () => {
        const dir = await mkdtemp(path.join(tmpdir(), 'adherence-'));
        dirs.push(dir);
        await writeShapesDataset(dir, { size, perCombo: PER_COMBO, seed: 2024 });
        const pngs = (await readdir(dir)).filter((n) => n.endsWith('.png')).sort();
        return Promise.all(
          pngs.map(async (name) => {
            const [colour, shape] = (await readFile(path.join(dir, name.replace(/\.png$/, '.txt')), 'utf8')).trim().split(', ');
            return { png: await readFile(path.join(dir, name)), colour: colour!, shape: shape! };
          }),
        );
      })(),
    );
  }
  return written.get(size)!;
}

/** Ground truth degraded like a small model's output: blurred or low-res, plus Gaussian pixel noise. */
async function groundTruth(size: number, degrade: Degrade, noise = 0): Promise<AdherenceSample[]> {
  const rng = new Rng(size);
  return Promise.all(
    (await dataset(size)).map(async ({ png, colour, shape }) => {
      const pixels = new Uint8Array(await degrade(sharp(png), size).removeAlpha().raw().toBuffer());
      for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round(pixels[i]! + noise * rng.normal())));
      return { pixels, size, colour, shape };
    }),
  );
}

const degradations: [string, Degrade, number][] = [
  ['clean', (s) => s, 0],
  ['blurred and noisy', (s, size) => s.blur(size / 32), 20],
  ['low-res and noisy', (s, size) => s.resize(size / 4).resize(size), 20],
];

describe('scoreAdherence on ground truth', () => {
  for (const size of [32, 64]) {
    for (const [label, degrade, noise] of degradations) {
      it(`names colour and shape of ${label} ${size} px shapes`, async () => {
        const samples = await groundTruth(size, degrade, noise);
        const score = scoreAdherence(samples);
        expect(score.n).toBe(allCombos().length * PER_COMBO);
        expect(score.colourAccuracy).toBeGreaterThanOrEqual(0.98);
        expect(score.shapeAccuracy).toBeGreaterThanOrEqual(0.95);
        expect(Object.keys(score.perCombo).sort()).toEqual(
          allCombos()
            .map((c) => `${c.colour}, ${c.shape}`)
            .sort(),
        );
      });
    }
  }

  it('scores a mismatched prompt as a miss', async () => {
    const samples = await groundTruth(32, (s) => s);
    const colours = [...new Set(samples.map((s) => s.colour))];
    const shapes = [...new Set(samples.map((s) => s.shape))];
    const wrong = samples.map((s) => ({
      ...s,
      colour: colours[(colours.indexOf(s.colour) + 1) % colours.length]!,
      shape: shapes[(shapes.indexOf(s.shape) + 1) % shapes.length]!,
    }));
    const score = scoreAdherence(wrong);
    expect(score.colourAccuracy).toBeLessThanOrEqual(0.02);
    expect(score.shapeAccuracy).toBeLessThanOrEqual(0.05);
  });
});

describe('classifyImage on images without a shape', () => {
  const size = 32;
  const rng = new Rng(7);
  const images: [string, () => Uint8Array][] = [
    ['blank', () => new Uint8Array(size * size * 3).fill(235 + rng.int(20))],
    ['uniform noise', () => Uint8Array.from({ length: size * size * 3 }, () => rng.int(256))],
    ['light noise', () => Uint8Array.from({ length: size * size * 3 }, () => Math.max(0, Math.min(255, 215 + 35 * rng.normal())))],
  ];
  for (const [label, make] of images) {
    it(`claims no colour or shape on ${label}`, () => {
      const samples = allCombos().flatMap(({ colour, shape }) => [0, 1, 2].map(() => ({ pixels: make(), size, colour, shape })));
      const score = scoreAdherence(samples);
      expect(score.colourAccuracy).toBeLessThanOrEqual(0.05);
      expect(score.shapeAccuracy).toBeLessThanOrEqual(0.05);
      const named = samples.filter((s) => classifyImage(s.pixels, size).colour !== null).length;
      expect(named / samples.length).toBeLessThanOrEqual(0.1);
    });
  }

  it('accepts RGBA and refuses a buffer of the wrong size', () => {
    expect(classifyImage(new Uint8Array(size * size * 4).fill(255), size).colour).toBeNull();
    expect(() => classifyImage(new Uint8Array(10), size)).toThrow(/RGB/);
  });
});
