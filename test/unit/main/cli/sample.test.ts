// `homegrown sample` seeds follow the API's rule: whole numbers 0 … 2^32 − 1, a batch wrapping past the last;
// and the command draws through the app's own Generate, so both record the same generation.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { TrainingSession } from '#core/runs/session';
import { AppService } from '#core/service/index';
import type { Generation } from '#shared/api/gallery';
import { checkedCall, isEvent, nextEvent } from '#test/fixtures/app-service';
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

  it('refuses more images at once than the app draws, before drawing any', () => {
    const out = path.join(root, 'out-many');
    const r = spawnCli(['sample', run, 'red', '-n', '257', '--out', out]);
    expect([r.code, r.err.trim(), r.out]).toEqual([1, 'homegrown: -n must be from 1 to 256', '']);
  }, 60_000);

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

describe('homegrown sample and the app', () => {
  it('draws from a checkpoint folder copied out of its run, into --out only', async () => {
    const home = await fs.mkdtemp(path.join(root, 'home-'));
    const [step] = await fs.readdir(path.join(run, 'checkpoints'));
    const alone = path.join(root, 'shared-checkpoint');
    await fs.cp(path.join(run, 'checkpoints', step!), alone, { recursive: true });
    const r = spawnCli(['sample', alone, 'red', '--seed', '3', '-n', '1', '--out', path.join(root, 'out-alone')], { HOMEGROWN_HOME: home });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: the images do not go into the gallery/);
    expect(path.basename(r.out.trim())).toBe('shared-checkpoint-s3.png');
    const service = await AppService.open({ home, backend: 'wasm' });
    try {
      expect((await checkedCall(service, 'gallery.query', {})).items).toEqual([]);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('record the same generation for the same request', async () => {
    const home = await fs.mkdtemp(path.join(root, 'home-'));
    const out = path.join(root, 'out-same');
    const prompt = '{red|blue}, circle';
    const r = spawnCli(['sample', run, prompt, '--seed', '5', '-n', '3', '--out', out, '--backend', 'wasm'], { HOMEGROWN_HOME: home });
    expect(r.code).toBe(0);
    const service = await AppService.open({ home, backend: 'wasm' });
    try {
      const byCli = (await checkedCall(service, 'gallery.query', {})).items.reverse();
      expect(byCli).toHaveLength(3);
      const done = nextEvent((l) => service.subscribe(l), isEvent('generation.done'));
      await checkedCall(service, 'generate.start', { runId: byCli[0]!.runId, prompt, seedMode: 'increment', seed: 5, count: 3 });
      await done;
      const byApp = (await checkedCall(service, 'gallery.query', { limit: 3 })).items.reverse();
      const recorded = ({ id: _id, createdAt: _at, ...g }: Generation) => g;
      expect(byApp.map(recorded)).toEqual(byCli.map(recorded));
      // The wildcard is picked per image by its seed in both, never left in braces.
      expect(byCli.map((g) => [g.seed, g.prompt.includes('{')])).toEqual([
        [5, false],
        [6, false],
        [7, false],
      ]);
      const bytes = async (g: Generation) => (await service.image('generation', String(g.id)))!.data;
      const files = r.out.trim().split('\n');
      for (const [i, g] of byCli.entries()) {
        expect((await bytes(g)).equals(await bytes(byApp[i]!))).toBe(true);
        expect((await fs.readFile(files[i]!)).equals(await bytes(g))).toBe(true);
      }
      const history = (await checkedCall(service, 'prompts.history', {})).items;
      expect(history.map((h) => [h.prompt, h.useCount])).toEqual([[prompt, 2]]);
    } finally {
      await service.close();
    }
  }, 120_000);
});
