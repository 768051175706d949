import { describe, expect, it } from 'vitest';
import { TrainingState } from '../../../../../renderer/lib/state/training.svelte';
import { ApiError } from '#shared/api/common';
import { fakeApi, run } from '#test/unit/renderer/fake-api';

const detail = (over: Record<string, unknown> = {}) => ({ run: run(over), losses: [], log: [], checkpoints: [], sampleSheets: [] });
const NOT_A_RUN = '/home/you/shapes is not a Homegrown run folder: choose the folder that training made';

describe('Add run folder…', () => {
  it('shows why a folder is refused, then adds a run folder, lists and selects it', async () => {
    let runs: ReturnType<typeof run>[] = [];
    const f = fakeApi({
      'runs.add': ({ folder }: { folder: string }) => {
        if (folder.endsWith('shapes')) throw new ApiError('user', NOT_A_RUN);
        runs = [run({ id: 4, datasetName: 'sprites' })];
        return runs[0];
      },
      'runs.list': () => runs,
      'runs.get': ({ id }: { id: number }) => detail({ id, datasetName: 'sprites' }),
    });
    const t = new TrainingState(f.api);
    const add = t.addFolder;
    add.open = true;
    await add.add('  ');
    expect(add.error).toBe('Enter the path of a run folder.');
    await add.add('/home/you/shapes');
    expect([add.error, add.open, add.folder]).toEqual([NOT_A_RUN, true, '/home/you/shapes']);

    await add.add('/home/you/runs/sprites-gan32');
    expect([add.error, add.open, add.folder]).toEqual([null, false, '']);
    expect(t.runs.map((r) => r.id)).toEqual([4]);
    expect(t.selectedId).toBe(4);
    expect(t.detail?.run.datasetName).toBe('sprites');
  });

  it('adds the folder chosen in the folder browser', async () => {
    const f = fakeApi({
      'app.browseFolder': ({ folder }: { folder?: string }) => ({ folder: folder ?? '/home/you', parent: null, folders: ['runs'] }),
      'runs.add': () => run({ id: 2 }),
      'runs.list': () => [run({ id: 2 })],
      'runs.get': () => detail({ id: 2 }),
    });
    const add = new TrainingState(f.api).addFolder;
    await add.browse();
    await add.browse('/home/you/runs');
    await add.chooseBrowsed();
    expect(add.browsing).toBeNull();
    expect(f.calls.find((c) => c.method === 'runs.add')?.input).toEqual({ folder: '/home/you/runs' });
  });
});
