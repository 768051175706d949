// `homegrown sample` seeds follow the API's rule: whole numbers 0 … 2^32 − 1, a batch wrapping past the last.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { TrainingSession } from '#core/runs/session';
import { spawnCli } from '#test/fixtures/spawn-cli';

let root: string;
let run: string;

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-cli-sample-'));
  await writeShapesDataset(path.join(root, 'shapes'), { size: 32, perCombo: 1, seed: 5 });
  const s = await TrainingSession.create({
    dataset: path.join(root, 'shapes'),
    out: path.join(root, 'runs'),
    config: { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, steps: 1 },
    backend: 'wasm',
  });
  await s.train(1);
  s.dispose();
  run = s.runDir;
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('homegrown sample --seed', () => {
  it.each(['1e30', '4294967296'])(
    'refuses %s with one line and writes nothing',
    (seed) => {
      const out = path.join(root, `out-${seed}`);
      const r = spawnCli(['sample', run, 'red', '--seed', seed, '-n', '4', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err.trim()).toBe(`homegrown: --seed must be a whole number from 0 to 4294967295, got "${seed}"`);
      expect(r.out).toBe('');
    },
    60_000,
  );

  it('gives each image of a batch its own seed and file, wrapping after 4294967295', async () => {
    const out = path.join(root, 'out-last');
    const r = spawnCli(['sample', run, 'red', '--seed', '4294967294', '-n', '3', '--out', out]);
    expect(r.code).toBe(0);
    const name = path.basename(run);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((f) => path.basename(f)),
    ).toEqual([`${name}-s4294967294.png`, `${name}-s4294967295.png`, `${name}-s0.png`]);
    expect((await fs.readdir(out)).sort()).toHaveLength(3);
  }, 60_000);
});
