// A job process that dies of a real out-of-memory (a small heap limit) marks its run failed with a
// message that says so, and the manager carries on.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '#shared/api/events';
import { RunManager } from '#core/jobs/run-manager';
import { nodeSpawner } from '#core/jobs/spawner';
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
