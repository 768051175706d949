// End-to-end through the real `homegrown` binary: a flow run trained for a few steps on moving sprites,
// `animate` and `inbetween` with their recipes, and the one-line errors for bad input.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGifRecipe } from '#core/media/animation';
import { readRecipe } from '#core/media/png-meta';
import { buildMovingSprites } from '#test/fixtures/moving-sprites';
import { spawnCli } from '#test/fixtures/spawn-cli';

let root: string;
let sprites: string;
let flowRun: string;

const hg = (...args: string[]) => spawnCli(args);

const solid = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();

async function onlyEntry(dir: string): Promise<string> {
  const names = await fs.readdir(dir);
  expect(names).toHaveLength(1);
  return path.join(dir, names[0]!);
}

/** Expects a one-line error and exit code 1. */
function refused(r: ReturnType<typeof hg>, message: RegExp) {
  expect(r.code).toBe(1);
  expect(r.err).toMatch(message);
  expect(r.err.trim().split('\n')).toHaveLength(1);
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-motion-'));
  sprites = path.join(root, 'sprites');
  await buildMovingSprites({ perMotion: 1, frames: 3, motions: ['left', 'up'] }, sprites);
  const t = hg(
    'train',
    sprites,
    '--model',
    'flow',
    '--steps',
    '2',
    '--batch',
    '2',
    '--set',
    'channels=4',
    '--sample-every',
    '2',
    '--out',
    path.join(root, 'runs'),
  );
  expect(t.err).toMatch(/training flow 32px on 6 images/);
  expect(t.code).toBe(0);
  flowRun = await onlyEntry(path.join(root, 'runs'));
}, 120_000);

describe('homegrown animate and inbetween', () => {
  it('the flow run logs its loss and writes a sample sheet of real and predicted frames', async () => {
    const log = JSON.parse((await fs.readFile(path.join(flowRun, 'log.jsonl'), 'utf8')).trim().split('\n')[1]!);
    expect(Object.keys(log.losses)).toEqual(['flow']);
    // 2 sequences × (real row + predicted row), 6 columns of 32 px with 2 px gaps, shown at 2×.
    const sheet = await sharp(path.join(flowRun, 'samples', 'step-00000002.png')).metadata();
    expect([sheet.width, sheet.height]).toEqual([2 * (6 * 32 + 7 * 2), 2 * (4 * 32 + 5 * 2)]);
  });

  it('animate writes the asked number of frames, a GIF, a WebP and a strip, each with its recipe', async () => {
    const out = path.join(root, 'animate');
    const r = hg('animate', flowRun, path.join(sprites, 'left-1', 'left_01.png'), 'left', '--frames', '4', '--out', out);
    expect(r.code).toBe(0);
    const dir = await onlyEntry(out);
    expect((await fs.readdir(dir)).sort()).toEqual([
      'animation.gif',
      'animation.webp',
      'frame-01.png',
      'frame-02.png',
      'frame-03.png',
      'frame-04.png',
      'strip.png',
    ]);
    const frame = readRecipe(await fs.readFile(path.join(dir, 'frame-03.png'))).recipe;
    expect(frame).toMatchObject({ model: 'flow', prompt: 'left', frames: 4, frame: 2, step: 2, run: path.basename(flowRun) });
    expect(frame?.source).toMatch(/^[0-9a-f]{64}$/);
    expect(readGifRecipe(await fs.readFile(path.join(dir, 'animation.gif')))).toMatchObject({ model: 'flow', frames: 4 });
    expect((await sharp(path.join(dir, 'animation.gif')).metadata()).pages).toBe(4);
    const strip = await sharp(path.join(dir, 'strip.png')).metadata();
    expect([strip.width, strip.height]).toEqual([4 * 32, 32]);

    // Again: a new folder beside the first, which is left as it was.
    const before = await fs.readFile(path.join(dir, 'strip.png'));
    expect(hg('animate', flowRun, path.join(sprites, 'left-1', 'left_01.png'), 'left', '--frames', '4', '--out', out).code).toBe(0);
    expect((await fs.readdir(out)).sort()).toEqual([path.basename(dir), `${path.basename(dir)}-2`]);
    expect((await fs.readFile(path.join(dir, 'strip.png'))).equals(before)).toBe(true);
  });

  it('inbetween writes a, the in-betweens and b, with both sources in the recipe', async () => {
    const out = path.join(root, 'inbetween');
    const r = hg(
      'inbetween',
      flowRun,
      path.join(sprites, 'up-1', 'up_01.png'),
      path.join(sprites, 'up-1', 'up_03.png'),
      '--frames',
      '3',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/5 frames in/);
    const dir = await onlyEntry(out);
    const strip = await sharp(path.join(dir, 'strip.png')).metadata();
    expect([strip.width, strip.height]).toEqual([5 * 32, 32]);
    const recipe = readRecipe(await fs.readFile(path.join(dir, 'frame-02.png'))).recipe;
    expect(recipe).toMatchObject({ model: 'flow', frames: 5, frame: 1 });
    expect(recipe?.toSource).toMatch(/^[0-9a-f]{64}$/);
    expect(recipe?.toSource).not.toBe(recipe?.source);
  });
});

describe('bad input: one line, exit 1, nothing written', () => {
  it('a run of another model type', async () => {
    const runs = path.join(root, 'gan-runs');
    expect(hg('train', sprites, '--model', 'gan', '--steps', '1', '--batch', '2', '--set', 'channels=4', '--out', runs).code).toBe(0);
    const out = path.join(root, 'wrong-model');
    refused(
      hg('animate', await onlyEntry(runs), path.join(sprites, 'up-1', 'up_01.png'), 'up', '--out', out),
      /is a gan run: animate and inbetween need a flow run/,
    );
    refused(hg('sample', flowRun, 'left', '--out', out), /a flow run draws motion from a frame/);
    await expect(fs.access(out)).rejects.toThrow();
  });

  it('an input that is not an image, and frames of different sizes', async () => {
    await fs.writeFile(path.join(root, 'notes.png'), 'these are my notes, not a picture');
    await fs.writeFile(path.join(root, 'small.png'), await solid(32, 32));
    await fs.writeFile(path.join(root, 'wide.png'), await solid(48, 32));
    const out = path.join(root, 'bad-out');
    refused(hg('animate', flowRun, path.join(root, 'notes.png'), 'up', '--out', out), /notes\.png: not an image/);
    refused(
      hg('inbetween', flowRun, path.join(root, 'small.png'), path.join(root, 'wide.png'), '--out', out),
      /differ in size \(32×32 and 48×32\)/,
    );
    refused(
      hg('animate', flowRun, path.join(root, 'small.png'), 'up', '--frames', '1', '--out', out),
      /--frames must be a whole number from 2/,
    );
    await expect(fs.access(out)).rejects.toThrow();
  });

  it('training a flow model on a one-frame sequence, on frames of different sizes, or on no sequences', async () => {
    const runs = path.join(root, 'bad-runs');
    const one = path.join(root, 'one-frame');
    await fs.cp(sprites, one, { recursive: true });
    await fs.mkdir(path.join(one, 'idle'));
    await fs.writeFile(path.join(one, 'idle', 'idle_01.png'), await solid(32, 32));
    refused(hg('train', one, '--model', 'flow', '--steps', '1', '--out', runs), /sequence idle\/ has only one frame/);
    const mixed = path.join(root, 'mixed');
    await fs.mkdir(path.join(mixed, 'hop'), { recursive: true });
    await fs.writeFile(path.join(mixed, 'hop', 'hop_01.png'), await solid(32, 32));
    await fs.writeFile(path.join(mixed, 'hop', 'hop_02.png'), await solid(48, 32));
    refused(
      hg('train', mixed, '--model', 'flow', '--steps', '1', '--out', runs),
      /frames of different sizes in sequence hop\/ \(32×32, 48×32\)/,
    );
    const stills = path.join(root, 'stills');
    await fs.mkdir(stills);
    await fs.writeFile(path.join(stills, 'cat.png'), await solid(32, 32));
    refused(hg('train', stills, '--model', 'flow', '--steps', '1', '--out', runs), /no animation sequences/);
    await expect(fs.access(runs)).rejects.toThrow();
  });
});
