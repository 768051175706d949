// A job process that dies of a real out-of-memory (a small heap limit) marks its run failed with a
// message that says so, and the manager carries on; an unexpected error comes back as one line and a log.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '#shared/api/events';
import { RunManager } from '#core/jobs/run-manager';
import { nodeSpawner } from '#core/jobs/spawner';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { Store } from '#core/store/index';
import { tempDir } from '#test/fixtures/app-service';

const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

describe('RunManager', () => {
  it('marks a run whose job ran out of memory as failed, saying so', async () => {
    const store = Store.open({ home: await tempDir('hg-oom-') });
    stores.push(store);
    const events: ApiEvent[] = [];
    const manager = new RunManager({
      store,
      emit: (e) => events.push(e),
      spawn: nodeSpawner(['--max-old-space-size=48']),
      worker: fileURLToPath(new URL('../../../../fixtures/oom-worker.ts', import.meta.url)),
    });
    const run = store.runs.create({ model: 'gan', config: { size: 32, steps: 10 } });
    await manager.start(run.id, { type: 'start', dataset: '/nowhere', out: manager.runFiles.parent(run.id), config: {} }, 10);
    while (manager.isLive(run.id)) await new Promise((r) => setTimeout(r, 100));
    expect(store.runs.get(run.id)!.status).toBe('failed');
    const message = manager.runFiles.read(run.id).message;
    expect(message).toMatch(/^The training process ran out of memory/);
    expect(events.map((e) => e.type)).toEqual(['run.state', 'run.state', 'job.error']);
    expect(events[1]).toMatchObject({ type: 'run.state', state: 'failed', message });
    expect((await manager.runFiles.log(run.id)).at(-1)).toBe(`error: ${message}`);
  });
});

describe('a training job that fails unexpectedly', () => {
  it('reports one readable line and the log file that holds the stack', async () => {
    const home = await tempDir('hg-crash-job-');
    const store = Store.open({ home });
    stores.push(store);
    const dataset = path.join(home, 'shapes');
    await writeShapesDataset(dataset, { size: 32, perCombo: 1, seed: 1 });
    // The output folder's place is taken by a file: making the run folder fails with a raw EEXIST.
    const out = path.join(home, 'taken');
    await fs.writeFile(out, '');
    const events: ApiEvent[] = [];
    const manager = new RunManager({ store, emit: (e) => events.push(e), spawn: nodeSpawner(), backend: 'wasm' });
    const run = store.runs.create({ model: 'gan', config: { size: 32, steps: 1 } });
    await manager.start(run.id, { type: 'start', dataset, out, config: { size: 32, steps: 1, channels: 4 } }, 1);
    while (manager.isLive(run.id)) await new Promise((r) => setTimeout(r, 100));
    expect(store.runs.get(run.id)!.status).toBe('failed');
    const message = manager.runFiles.read(run.id).message!;
    const m = message.match(/^Training failed: (EEXIST: file already exists, mkdir '.*taken') \(full report: (.+)\)$/);
    expect(m).not.toBeNull();
    expect(path.dirname(m![2]!)).toBe(path.join(home, 'logs'));
    const report = await fs.readFile(m![2]!, 'utf8');
    expect(report).toMatch(/EEXIST[^]*\n\s+at .*fresh-folder\.ts/);
    expect(events.at(-1)).toMatchObject({ type: 'job.error', runId: run.id, error: { code: 'internal', message } });
  }, 120_000);
});
