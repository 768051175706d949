// runs.add and runs.list over a real store and a real run folder trained outside the app data folder
// (2 steps of a tiny 32 px GAN): the folder joins the library with its checkpoints and sample sheets,
// stays where it is, and leaving the library never deletes it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '#shared/api/index';
import { initBackend } from '#core/compute/backend';
import { TrainingSession } from '#core/runs/session';
import { AppService } from '#core/service/index';
import { callFailure, checkedCall, isEvent, nextEvent, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let root: string;
let data: string;
let runDir: string;
let service: AppService;

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);

const failure = (method: string, input: unknown) => callFailure(service, method, input);

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await tempDir('hg-run-library-');
  data = await shapesFolder(path.join(root, 'shapes'));
  const session = await TrainingSession.create({
    dataset: data,
    out: path.join(root, 'elsewhere'),
    config: { ...TINY_RUN, size: 32, steps: 2, sampleEvery: 1, checkpointEvery: 1 },
    backend: 'wasm',
  });
  await session.train(2);
  session.dispose();
  runDir = session.runDir;
  service = await AppService.open({ home: path.join(root, 'home'), backend: 'wasm' });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('runs.add', () => {
  it('adds a run folder with its checkpoints and sample sheets; runs.list shows it', async () => {
    expect(await call('runs.list', {})).toEqual([]);
    // Pasted as "copy as path" gives it.
    const run = await call('runs.add', { folder: `"${runDir}"` });
    expect(run).toMatchObject({ model: 'gan', size: 32, datasetName: 'shapes', state: 'done', step: 2, targetStep: 2, resumable: true });
    expect((await call('runs.list', {})).map((r) => r.id)).toEqual([run.id]);

    const detail = await call('runs.get', { id: run.id });
    expect(detail.checkpoints.map((c) => [c.step, c.available])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(detail.sampleSheets.map((s) => s.step)).toEqual([1, 2]);
    expect(detail.losses.map((l) => l.step)).toEqual([1, 2]);
    // The sheet is served from the folder where it stays, through the library's link.
    const sheet = await service.image('sheet', String(detail.sampleSheets[0]!.id));
    expect(sheet?.contentType).toBe('image/png');
    expect(sheet?.data.equals(await fs.readFile(path.join(runDir, 'samples', 'step-00000001.png')))).toBe(true);
  });

  it('refuses the same folder twice, and a folder that is no run, in words for the user', async () => {
    const [known] = await call('runs.list', {});
    expect(await failure('runs.add', { folder: runDir })).toMatchObject({
      code: 'user',
      message: `This run folder is already in the library as run ${known!.id}`,
    });
    const notRun = await failure('runs.add', { folder: data });
    expect(notRun).toMatchObject({
      code: 'user',
      message: expect.stringMatching(/is not a Homegrown run folder: choose the folder that training made/),
    });
    expect(notRun.message).not.toMatch(/--|homegrown /);
    expect(await failure('runs.add', { folder: path.join(root, 'missing') })).toMatchObject({ code: 'user' });
    expect(await call('runs.list', {})).toHaveLength(1);
  });

  it('generates from an added run, and deleting the run leaves its folder alone', async () => {
    const [run] = await call('runs.list', {});
    const done = nextEvent((l) => service.subscribe(l), isEvent('generation.done'));
    const started = await call('generate.start', { runId: run!.id, prompt: 'red, circle', seedMode: 'fixed', seed: 1, count: 1 });
    expect(started.total).toBe(1);
    expect(await done).toMatchObject({ jobId: started.jobId, count: 1 });
    expect((await call('gallery.query', {})).items).toHaveLength(1);

    await call('runs.delete', { id: run!.id });
    expect(await call('runs.list', {})).toEqual([]);
    expect((await fs.readdir(path.join(runDir, 'checkpoints'))).sort()).toEqual(['step-00000001', 'step-00000002']);
    expect(await fs.readdir(path.join(runDir, 'samples'))).toContain('step-00000002.png');
    // Once it is out of the library it can be added again.
    expect((await call('runs.add', { folder: runDir })).step).toBe(2);
  });
});
