// `homegrown eval <run>` and `homegrown eval --folder`, and the curve in `homegrown info <run>`.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { runCommand } from '#test/fixtures/capture-stdout';
import { writeOpenmojiFolder } from '#test/fixtures/openmoji-folder';

let root: string;
const TINY = [
  '--set',
  'channels=4',
  '--set',
  'zDim=8',
  '--set',
  'embDim=8',
  '--set',
  'styleDim=16',
  '--set',
  'batch=4',
  '--set',
  'sampleEvery=1000',
];
const FAST = ['--per-prompt', '3', '--classifier-steps', '20'];

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-eval-cli-'));
  await writeOpenmojiFolder(path.join(root, 'moji'), { subgroups: ['animal-mammal', 'food-fruit'], perSubgroup: 5, size: 32 });
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('homegrown eval on a folder and on a run', () => {
  it('trains within the budget, prints the curve and the best checkpoint; info shows it again', async () => {
    const r = await runCommand([
      'eval',
      '--folder',
      path.join(root, 'moji'),
      '--steps',
      '4',
      '--checkpoints',
      '2',
      '--out',
      path.join(root, 'runs'),
      ...TINY,
      ...FAST,
      '--backend',
      'wasm',
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^eval classifier: 2 captions, trained on 8 images, recognises \d+\.\d% of 2 held-out real images$/);
    expect(lines[1]).toMatch(/^KID and diversity in the classifier's feature space; copy threshold \d+\.\d{3} \(5th percentile/);
    expect(lines[2]).toMatch(/^palette distance of real against real \(two halves of the folder\): 0\.\d{3}$/);
    expect(lines[3]).toMatch(
      /^step {7}2 {2}CAS +\d+\.\d% {2}KID +-?\d\.\d{4}±\d\.\d{4} {2}diversity +\d\.\d\d {2}palette 0\.\d{3} {2}copies 0\.0%$/,
    );
    expect(lines[4]).toMatch(/^step {7}4 /);
    expect(lines[5]).toMatch(/^best checkpoint: step [24] \(lowest KID/);
    expect(lines.slice(6, 8)).toEqual([
      expect.stringMatching(/^ {2}animal mammal {2}CAS/),
      expect.stringMatching(/^ {2}food fruit {5}CAS/),
    ]);
    const runDir = lines[8]!.replace(/^run: /, '');

    const again = await runCommand(['eval', runDir, ...FAST, '--backend', 'wasm', '--json']);
    expect(JSON.parse(again.out).points.map((p: { step: number }) => p.step)).toEqual([2, 4]);

    const info = await runCommand(['info', runDir]);
    expect(info.out).toContain(lines.slice(0, 8).join('\n'));
  });

  it('refuses a run and --folder together, and a run folder that is not one', async () => {
    expect((await runCommand(['eval', root, '--folder', root])).err).toBe('homegrown: give either a run folder or --folder, not both\n');
    expect((await runCommand(['eval', root, '--backend', 'wasm'])).err).toMatch(/is not a Homegrown run folder \(no run\.json\)/);
  });
});
