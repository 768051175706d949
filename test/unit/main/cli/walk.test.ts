// `homegrown walk` in-process: frames, GIF, WebP and strip with recipes; bad input in one line.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readGifRecipe, readWebpRecipe } from '#core/media/animation';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { readRecipe } from '#core/media/png-meta';
import { initBackend } from '#core/compute/backend';
import { TrainingSession } from '#core/runs/session';
import { runCommand } from '#test/fixtures/capture-stdout';

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 1000 };
let root: string;
let run: string;

const hg = (...args: string[]) => runCommand([...args, '--backend', 'wasm']);

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-cli-walk-'));
  const data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 10 });
  await initBackend({ force: 'wasm' });
  const s = await TrainingSession.create({
    dataset: data,
    out: path.join(root, 'runs'),
    config: { ...SMALL, model: 'gan', steps: 2 },
    backend: 'wasm',
  });
  await s.train(2);
  s.dispose();
  run = s.runDir;
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('homegrown walk', () => {
  it('writes the frames, an animated GIF and WebP with that many frames, and a strip, all with recipes', async () => {
    const out = path.join(root, 'out');
    const r = await hg(
      'walk',
      run,
      '--from',
      'red, circle',
      '--to',
      'blue, square',
      '--frames',
      '6',
      '--seed',
      '1,2',
      '--scale',
      '2',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const dir = path.join(out, `${path.basename(run)}-walk-s1-2`);
    expect(r.out).toContain(`6 frames in ${dir}`);
    const gif = await fs.readFile(path.join(dir, 'animation.gif'));
    const webp = await fs.readFile(path.join(dir, 'animation.webp'));
    for (const file of [gif, webp]) {
      const meta = await sharp(file, { animated: true }).metadata();
      expect([meta.pages, meta.width, meta.pageHeight]).toEqual([6, 64, 64]);
    }
    const expected = { prompt: 'red, circle', seed: 1, toPrompt: 'blue, square', toSeed: 2, frames: 6, model: 'gan' };
    expect(readGifRecipe(gif)).toMatchObject(expected);
    expect(await readWebpRecipe(webp)).toMatchObject(expected);
    const strip = await fs.readFile(path.join(dir, 'strip.png'));
    expect(readRecipe(strip).recipe).toMatchObject(expected);
    expect((await sharp(strip).metadata()).width).toBe(6 * 64);
    const frame = await fs.readFile(path.join(dir, 'frame-06.png'));
    expect(readRecipe(frame).recipe).toMatchObject({ ...expected, frame: 5 });
    expect((await sharp(frame).metadata()).width).toBe(32);

    // The same walk again goes to a new folder; the first is left as it was.
    expect(
      (await hg('walk', run, '--from', 'red, circle', '--to', 'blue, square', '--frames', '6', '--seed', '1,2', '--out', out)).code,
    ).toBe(0);
    expect((await fs.readdir(out)).sort()).toEqual([path.basename(dir), `${path.basename(dir)}-2`]);
    expect((await fs.readFile(path.join(dir, 'animation.gif'))).equals(gif)).toBe(true);
  });

  it('answers bad input with one line, exit 1, and nothing written', async () => {
    const out = path.join(root, 'bad-out');
    const cases: [string[], RegExp][] = [
      [['walk', run, '--from', 'red', '--to', 'blue', '--frames', '1'], /a walk needs 2 to 256 frames, got 1/],
      [['walk', run, '--from', 'red', '--to', 'blue', '--seed', '1,x'], /--seed must be a whole number or two of them/],
      [['walk', run, '--from', 'red', '--to', 'blue', '--scale', '0'], /--scale must be from 1 to 16/],
      [['walk', path.join(root, 'nope'), '--from', 'red', '--to', 'blue'], /nope/],
    ];
    for (const [args, message] of cases) {
      const r = await hg(...args, '--out', out);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    const missing = await hg('walk', run, '--from', 'red', '--out', out);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toMatch(/--to <prompt>/);
    await expect(fs.access(out)).rejects.toThrow();
  });
});
