import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '#core/store/index';
import { UserError } from '#core/errors';
import { tempDir, tempStore } from './temp-home';

// A run as the trainer leaves it: a checkpoint folder and a sample sheet under runs/<id>/, plus a generation.
async function trainedRun(store: Store, datasetRoot: string) {
  const ds = store.datasets.add({ name: 'd', root: datasetRoot });
  const run = store.runs.create({ model: 'gan', config: { steps: 10 }, datasetId: ds.id });
  const folder = store.runs.folder(run.id);
  fs.mkdirSync(store.files.resolve(`${folder}/checkpoints/10`), { recursive: true });
  fs.writeFileSync(store.files.resolve(`${folder}/checkpoints/10/manifest.json`), '{}');
  fs.mkdirSync(store.files.resolve(`${folder}/samples`), { recursive: true });
  fs.writeFileSync(store.files.resolve(`${folder}/samples/10.png`), 'png');
  const checkpoint = store.runs.addCheckpoint({
    runId: run.id,
    step: 10,
    path: `${folder}/checkpoints/10`,
    manifestHash: 'abc',
    metrics: { loss: 0.5 },
  });
  store.runs.addSampleSheet({ runId: run.id, step: 10, path: `${folder}/samples/10.png` });
  const generation = await store.generations.save({
    image: new Uint8Array([1]),
    prompt: 'fox',
    seed: 1,
    runId: run.id,
    checkpointId: checkpoint.id,
    backend: 'cpu',
  });
  return { run, checkpoint, generation };
}

describe('runs', () => {
  it('records status changes with start and finish times, and the backend once known', () => {
    const store = tempStore();
    const run = store.runs.create({ model: 'vae', config: { lr: 0.001 }, now: 100 });
    expect(run).toMatchObject({ status: 'pending', config: { lr: 0.001 }, backend: null, startedAt: null });
    store.runs.setStatus(run.id, 'running', { backend: 'wasm', now: 200 });
    store.runs.setStatus(run.id, 'interrupted', { now: 300 });
    store.runs.setStatus(run.id, 'running', { now: 400 });
    expect(store.runs.get(run.id)).toMatchObject({ status: 'running', backend: 'wasm', startedAt: 200, finishedAt: null });
    store.runs.setStatus(run.id, 'completed', { now: 500 });
    expect(store.runs.get(run.id)).toMatchObject({ status: 'completed', startedAt: 200, finishedAt: 500, updatedAt: 500 });
    expect(() => store.runs.setStatus(999, 'running')).toThrow(UserError);
  });

  it('records checkpoints and sample sheets only once their files exist', async () => {
    const store = tempStore();
    const { run } = await trainedRun(store, tempDir());
    expect(store.runs.checkpoints(run.id)).toMatchObject([{ step: 10, manifestHash: 'abc', metrics: { loss: 0.5 } }]);
    expect(store.runs.sampleSheets(run.id)).toMatchObject([{ step: 10, path: `runs/${run.id}/samples/10.png` }]);
    expect(() =>
      store.runs.addCheckpoint({ runId: run.id, step: 20, path: `runs/${run.id}/checkpoints/20`, manifestHash: 'x', metrics: {} }),
    ).toThrow(/not there/);
  });

  it('recording a checkpoint forgets, in the same step, the ones the trainer pruned; their generations stay', async () => {
    const store = tempStore();
    const { run, checkpoint, generation } = await trainedRun(store, tempDir());
    const folder = store.runs.folder(run.id);
    for (const step of [20, 30]) fs.mkdirSync(store.files.resolve(`${folder}/checkpoints/${step}`), { recursive: true });
    store.runs.addCheckpoint({ runId: run.id, step: 20, path: `${folder}/checkpoints/20`, manifestHash: 'b', metrics: {} });
    // keepCheckpoints 2: saving step 30 removed step 10's folder before the app heard of step 30.
    fs.rmSync(store.files.resolve(checkpoint.path), { recursive: true });
    store.runs.addCheckpoint({ runId: run.id, step: 30, path: `${folder}/checkpoints/30`, manifestHash: 'c', metrics: {} });
    expect(store.runs.checkpoints(run.id).map((c) => c.step)).toEqual([20, 30]);
    expect(store.generations.get(generation.id)).toMatchObject({ prompt: 'fox', checkpointId: null });
    expect(store.check()).toMatchObject({ ok: true, missingFiles: [] });
  });

  it('deleting a run removes its rows and files together and leaves the dataset folder alone', async () => {
    const store = tempStore();
    const datasetRoot = tempDir();
    fs.writeFileSync(path.join(datasetRoot, 'cat.png'), 'original');
    const { run, generation } = await trainedRun(store, datasetRoot);
    const keep = store.runs.create({ model: 'gan', config: {} });
    const prompt = store.prompts.record({ prompt: 'fox', runId: run.id });

    await store.runs.delete(run.id);

    expect(store.runs.list().map((r) => r.id)).toEqual([keep.id]);
    expect(store.runs.checkpoints(run.id)).toEqual([]);
    expect(store.runs.sampleSheets(run.id)).toEqual([]);
    expect(store.generations.get(generation.id)).toBeUndefined();
    expect(fs.existsSync(store.files.resolve(store.runs.folder(run.id)))).toBe(false);
    expect(fs.existsSync(store.files.resolve(generation.path))).toBe(false);
    expect(store.prompts.list().items).toMatchObject([{ id: prompt.id, runId: null }]);
    expect(fs.readdirSync(datasetRoot)).toEqual(['cat.png']);
    expect(fs.readFileSync(path.join(datasetRoot, 'cat.png'), 'utf8')).toBe('original');
    expect(store.check().ok).toBe(true);
  });

  it('refuses to delete a run whose folder holds a dataset folder, before deleting anything', async () => {
    const store = tempStore();
    const run = store.runs.create({ model: 'gan', config: {} });
    const nested = store.files.resolve(`${store.runs.folder(run.id)}/my-art`);
    fs.mkdirSync(nested, { recursive: true });
    fs.writeFileSync(path.join(nested, 'a.png'), 'art');
    store.datasets.add({ name: 'art', root: nested });
    await expect(store.runs.delete(run.id)).rejects.toThrow(UserError);
    expect(store.runs.get(run.id)).toBeDefined();
    expect(fs.readFileSync(path.join(nested, 'a.png'), 'utf8')).toBe('art');
  });
});
