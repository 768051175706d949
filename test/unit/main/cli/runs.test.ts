// One library for the command line and the app: `homegrown train` records its run in the app's store
// (the library's runs folder by default, a linked folder with --out), `homegrown sample` fills the
// gallery, and `homegrown runs add|list` show and extend the same runs the app lists.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { AppService } from '#core/service/index';
import type { Run } from '#shared/api/runs';
import { tempDir } from '#test/fixtures/app-service';
import { spawnCli } from '#test/fixtures/spawn-cli';

let root: string;
let home: string;
let data: string;
const hg = (...args: string[]) => spawnCli(args, { HOMEGROWN_HOME: home });
const TINY = [
  '--model',
  'gan',
  '--size',
  '32',
  '--steps',
  '2',
  '--batch',
  '4',
  '--set',
  'channels=4',
  '--set',
  'zDim=8',
  '--set',
  'embDim=8',
  '--set',
  'styleDim=16',
];

/** What the app would show: the runs and the gallery of this library. */
async function app<T>(use: (s: AppService) => Promise<T>): Promise<T> {
  const s = await AppService.open({ home });
  try {
    return await use(s);
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  root = await tempDir('hg-cli-runs-');
  home = path.join(root, 'home');
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 4 });
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('one library', () => {
  it('records a run trained into the library, lists it, and puts its samples in the gallery', async () => {
    const t = hg('train', data, ...TINY);
    expect(t.code).toBe(0);
    expect(t.err).toContain(`→ ${path.join(home, 'runs', '1')}${path.sep}shapes-gan32-`);
    const runs = await app((s) => s.call('runs.list', {}) as Promise<Run[]>);
    expect(runs.map((r) => [r.id, r.state, r.step, r.datasetName])).toEqual([[1, 'done', 2, 'shapes']]);
    expect(hg('runs', 'list').out).toMatch(/^ {3}1 {2}done +gan 32px +step 2\/2 +shapes$/m);

    const s = hg('sample', '1', 'red, circle', '--seed', '7', '-n', '2', '--out', path.join(root, 'out'));
    expect(s.code).toBe(0);
    const gallery = await app(
      (svc) => svc.call('gallery.query', {}) as Promise<{ items: { seed: number; runId: number; prompt: string }[] }>,
    );
    expect(gallery.items.map((g) => [g.runId, g.prompt, g.seed]).sort()).toEqual([
      [1, 'red, circle', 7],
      [1, 'red, circle', 8],
    ]);
    const history = await app((svc) => svc.call('prompts.history', {}) as Promise<{ items: { prompt: string }[] }>);
    expect(history.items.map((h) => h.prompt)).toEqual(['red, circle']);

    // A walk by run number: its frames join the gallery, tagged as a walk.
    const w = hg('walk', '1', '--from', 'red circle', '--to', 'blue square', '--frames', '3', '--out', path.join(root, 'walks'));
    expect(w.code).toBe(0);
    const walk = await app(
      (svc) => svc.call('gallery.query', { tag: 'walk' }) as Promise<{ items: { runId: number; checkpointId: number | null }[] }>,
    );
    expect(walk.items).toHaveLength(3);
    expect(walk.items.every((g) => g.runId === 1 && g.checkpointId !== null)).toBe(true);
  }, 120_000);

  it('links a run trained with --out, resumes it by number, and adds a folder once', async () => {
    const out = path.join(root, 'elsewhere');
    expect(hg('train', data, ...TINY, '--out', out).code).toBe(0);
    const [folder] = await fs.readdir(out);
    const runDir = path.join(out, folder!);
    expect(await fs.readlink(path.join(home, 'runs', '2', 'run'))).toBe(runDir);

    const resumed = hg('train', '--resume', '2', '--steps', '1');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain(`done at step 3; checkpoint ${path.join(runDir, 'checkpoints', 'step-00000003')}`);
    const run = await app((s) => s.call('runs.get', { id: 2 }) as Promise<{ run: Run; checkpoints: { step: number }[] }>);
    expect(run.run).toMatchObject({ state: 'done', step: 3, targetStep: 3 });
    expect(run.checkpoints.map((c) => c.step)).toContain(3);

    const again = hg('runs', 'add', runDir);
    expect([again.code, again.err.trim()]).toEqual([1, 'homegrown: This run folder is already in the library as run 2']);
    const notRun = hg('runs', 'add', data);
    expect(notRun.code).toBe(1);
    expect(notRun.err.trim().split('\n')).toEqual([
      `homegrown: ${data} is not a Homegrown run folder: choose the folder that training made (it holds run.json, checkpoints and samples)`,
    ]);
  }, 120_000);

  it('adds a run folder trained for another library', async () => {
    const other = { HOMEGROWN_HOME: path.join(root, 'other-home') };
    expect(spawnCli(['train', data, ...TINY, '--out', path.join(root, 'other')], other).code).toBe(0);
    const [folder] = await fs.readdir(path.join(root, 'other'));
    const added = hg('runs', 'add', path.join(root, 'other', folder!));
    expect(added.code).toBe(0);
    expect(added.out.trim()).toBe('added run 3: gan 32px on shapes, step 2');
    expect(hg('runs', 'list', '--json').out).toContain('"id": 3');
  }, 120_000);
});
