// The service end to end over a real store, a real folder of images and real training jobs (forked
// processes training a tiny 32 px model for a few steps).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type ApiEvent } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { readRecipe } from '#core/media/png-meta';
import {
  callFailure,
  checkedCall,
  isEvent,
  nextEvent,
  recordingSpawner,
  shapesFolder,
  tempDir,
  TINY_RUN,
} from '#test/fixtures/app-service';

let home: string;
let data: string;
let service: AppService;
let events: ApiEvent[] = [];
const spawner = recordingSpawner();

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);

const failure = (method: string, input: unknown) => callFailure(service, method, input);

const on = (listener: (e: ApiEvent) => void) => service.subscribe(listener);

async function open(): Promise<AppService> {
  const s = await AppService.open({ home, spawn: spawner.spawn, backend: 'wasm' });
  s.subscribe((e) => events.push(e));
  return s;
}

async function trainedRun(steps: number, extra: Record<string, unknown> = {}) {
  const datasetId = (await call('datasets.list', {}))[0]!.id;
  const done = nextEvent(
    on,
    isEvent('run.state', (e) => e.state !== 'running'),
  );
  const run = await call('runs.start', {
    datasetId,
    model: 'gan',
    size: 32,
    steps,
    config: { ...TINY_RUN, sampleEvery: 3, checkpointEvery: 3, ...extra },
  });
  expect(run.state).toBe('running');
  const end = await done;
  expect(end).toMatchObject({ runId: run.id, state: 'done', message: null });
  return run.id;
}

beforeAll(async () => {
  home = await tempDir('hg-service-home-');
  data = await shapesFolder(path.join(await tempDir('hg-service-data-'), 'shapes'));
  service = await open();
});

afterAll(async () => {
  await service?.close();
});

describe('calls', () => {
  it('answers app.info and refuses bad methods and inputs with typed errors', async () => {
    const info = await call('app.info', {});
    expect(info).toMatchObject({ mode: 'web', home: path.resolve(home), models: ['gan', 'vae', 'ae', 'flow'], sizes: [32, 64, 128] });
    expect(info.trainingPresets.map((p) => p.name)).toContain('sketch32');
    expect(info.configDefaults).toMatchObject({ lr: 5e-4, batch: 16 });
    expect(await failure('runs.explode', {})).toMatchObject({ code: 'unknown-method' });
    expect(await failure('__proto__', {})).toMatchObject({ code: 'unknown-method' });
    const invalid = await failure('runs.get', { id: 'one' });
    expect(invalid).toMatchObject({ code: 'invalid-input' });
    expect((invalid as unknown as { issues: string[] }).issues[0]).toMatch(/^id:/);
    expect(await failure('runs.get', { id: 999 })).toMatchObject({ code: 'not-found', message: 'There is no run 999' });
  });

  it('shows a folder dialog only where the shell provides one', async () => {
    expect(await failure('app.pickFolder', {})).toMatchObject({ code: 'user', message: expect.stringMatching(/^Only the desktop app/) });
    const desktop = await AppService.open({
      home: await tempDir('hg-service-desktop-'),
      mode: 'electron',
      pickFolder: async () => '/chosen',
    });
    expect(await desktop.call('app.pickFolder', {})).toEqual({ folder: '/chosen' });
    await desktop.close();
  });
});

describe('datasets', () => {
  it('refuses a path that is not a folder and a folder without images', async () => {
    expect(await failure('datasets.open', { folder: path.join(data, 'red-circle-0.png') })).toMatchObject({
      code: 'user',
      message: expect.stringMatching(/is not a folder/),
    });
    expect(await failure('datasets.open', { folder: path.join(home, 'nope') })).toMatchObject({
      code: 'user',
      message: expect.stringMatching(/does not exist/),
    });
    const empty = await tempDir('hg-empty-');
    await fs.writeFile(path.join(empty, 'notes.md'), 'no pictures here');
    expect(await failure('datasets.open', { folder: empty })).toMatchObject({
      code: 'user',
      message: expect.stringMatching(/no usable images/),
    });
    expect(await call('datasets.list', {})).toEqual([]);
  });

  it('opens a folder: doctor report with image ids, captions and vocabulary; thumbnails by id', async () => {
    const progress: ApiEvent[] = [];
    const off = on((e) => e.type === 'dataset.progress' && progress.push(e));
    const report = await call('datasets.open', { folder: data });
    off();
    expect(report.dataset).toMatchObject({ name: 'shapes', root: data, imageCount: 16 });
    expect(report.images).toHaveLength(16);
    expect(report.captionFiles).toHaveLength(16);
    const red = report.images.find((i) => i.path === 'red-circle-0.png')!;
    expect(red).toMatchObject({ width: 32, height: 32, format: 'png', caption: 'red, circle', captionSource: 'sidecar' });
    expect(report.vocabulary.find((v) => v.token === 'circle')?.count).toBe(4);
    expect(progress.at(-1)).toMatchObject({ type: 'dataset.progress', done: 32, total: 32 });
    const thumb = await service.image('dataset', String(red.imageId));
    expect(thumb?.contentType).toBe('image/png');
    expect(await sharp(thumb!.data).metadata()).toMatchObject({ width: 32, height: 32 });
    // Opening it again is the same dataset.
    expect((await call('datasets.open', { folder: data })).dataset.id).toBe(report.dataset.id);
  });

  it('edits a caption in the app only, or into the sidecar when asked', async () => {
    const report = await call('datasets.open', { folder: data });
    const blue = report.images.find((i) => i.path === 'blue-square-0.png')!;
    const sidecar = path.join(data, 'blue-square-0.txt');
    const before = await fs.readFile(sidecar, 'utf8');
    const typed = await call('datasets.setCaption', { imageId: blue.imageId, caption: 'blue, square, small', writeSidecar: false });
    expect(typed).toEqual({ image: { ...blue, caption: 'blue, square, small', captionSource: 'manual' }, sidecarPath: null });
    expect(await fs.readFile(sidecar, 'utf8')).toBe(before);
    // A typed caption survives re-opening the folder.
    const again = await call('datasets.open', { folder: data });
    expect(again.images.find((i) => i.imageId === blue.imageId)?.caption).toBe('blue, square, small');
    const written = await call('datasets.setCaption', { imageId: blue.imageId, caption: 'blue, square', writeSidecar: true });
    expect(written.sidecarPath).toBe(sidecar);
    expect(await fs.readFile(sidecar, 'utf8')).toBe('blue, square\n');
    expect(written.image.captionSource).toBe('sidecar');
  });
});

describe('training runs', () => {
  let runId: number;

  it('trains in its own process: progress, sample sheets and checkpoints are events and rows', async () => {
    events = [];
    runId = await trainedRun(6);
    const detail = await call('runs.get', { id: runId });
    expect(detail.run).toMatchObject({ state: 'done', step: 6, targetStep: 6, resumable: true, backend: 'wasm', datasetName: 'shapes' });
    expect(detail.losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Object.keys(detail.losses[0]!.losses)).toEqual(expect.arrayContaining(['d', 'g']));
    expect(detail.checkpoints.map((c) => c.step)).toEqual([3, 6]);
    expect(detail.checkpoints.every((c) => c.available && c.sheetId !== null)).toBe(true);
    expect(detail.sampleSheets[0]!.prompts.length).toBeGreaterThan(0);
    expect(detail.log[0]).toMatch(/training on 16 images with wasm, from step 0 to 6/);
    const types = events.filter((e) => 'runId' in e && e.runId === runId).map((e) => e.type);
    expect(types[0]).toBe('run.state');
    expect(types).toContain('run.progress');
    expect(types.filter((t) => t === 'run.checkpoint')).toHaveLength(2);
    const last = events.findLast((e) => e.type === 'run.progress');
    expect(last).toMatchObject({ step: 6, targetStep: 6, etaSeconds: 0 });
    const sheet = await service.image('sheet', String(detail.checkpoints[1]!.sheetId));
    const meta = await sharp(sheet!.data).metadata();
    // Six seeds across, one row per sheet prompt, 32 px images drawn at 2×.
    expect(meta.width).toBeGreaterThanOrEqual(6 * 64);
    expect(meta.height).toBeGreaterThanOrEqual(detail.sampleSheets[0]!.prompts.length * 64);
  });

  it('generates images as events into the gallery, with recipe, history, rating, tags and delete', async () => {
    const done = nextEvent(on, isEvent('generation.done'));
    const images: ApiEvent[] = [];
    const off = on((e) => e.type === 'generation.image' && images.push(e));
    const started = await call('generate.start', {
      runId,
      prompt: 'red, circle',
      negative: 'blue',
      seedMode: 'increment',
      seed: 7,
      count: 4,
      tags: ['first'],
    });
    expect(started).toMatchObject({
      total: 4,
      prompts: ['red, circle', 'red, circle', 'red, circle', 'red, circle'],
      unknownWords: [],
      grid: null,
    });
    expect((await done).count).toBe(4);
    off();
    expect((await call('app.info', {})).backend).toBe('wasm');
    expect(images.map((e) => (e as { generation: { seed: number } }).generation.seed)).toEqual([7, 8, 9, 10]);
    const page = await call('gallery.query', { runId, limit: 3 });
    expect(page.items.map((g) => g.seed)).toEqual([10, 9, 8]);
    const rest = await call('gallery.query', { runId, limit: 3, cursor: page.next! });
    expect(rest).toMatchObject({ items: [{ seed: 7 }], next: null });
    const id = page.items[0]!.id;
    const detail = await call('gallery.get', { id });
    expect(detail.recipe).toMatchObject({
      prompt: 'red, circle',
      negative: 'blue',
      seed: 10,
      model: 'gan',
      step: 6,
      size: 32,
      backend: 'wasm',
    });
    expect(detail.parameters).toMatch(/^red, circle\nNegative prompt: blue\nSteps: 6, Seed: 10/);
    expect(detail).toMatchObject({ fileExists: true, checkpointStep: 6 });
    const png = await service.image('generation', String(id));
    expect(await sharp(png!.data).metadata()).toMatchObject({ width: 32, height: 32 });
    expect((await call('gallery.rate', { id, rating: 4 })).rating).toBe(4);
    expect((await call('gallery.favourite', { id, favourite: true })).favourite).toBe(true);
    expect((await call('gallery.tag', { id, add: ['keeper'], remove: ['first'] })).tags).toEqual(['keeper']);
    expect((await call('gallery.query', { favourite: true, minRating: 4 })).items.map((g) => g.id)).toEqual([id]);
    expect((await call('gallery.query', { text: 'circ' })).items).toHaveLength(4);
    expect((await call('gallery.query', { tag: 'keeper' })).items.map((g) => g.id)).toEqual([id]);
    expect((await call('prompts.history', { text: 'red' })).items[0]).toMatchObject({
      prompt: 'red, circle',
      negative: 'blue',
      useCount: 1,
      runId,
    });
    await call('gallery.delete', { id });
    await expect(fs.stat(detail.file)).rejects.toThrow();
    expect(await failure('gallery.get', { id })).toMatchObject({ code: 'not-found' });
  });

  it('exports chosen images to a folder or a zip, with their recipe, refusing to overwrite', async () => {
    const ids = (await call('gallery.query', { runId })).items.map((g) => g.id);
    const out = path.join(await tempDir('hg-export-'), 'picked');
    const written = await call('export.images', { generationIds: ids.slice(0, 2), folder: out, template: '{seed}-{prompt}' });
    expect(written).toMatchObject({ count: 2, target: out });
    expect(written.files.map((f) => path.basename(f)).sort()).toEqual(['8-red-circle.png', '9-red-circle.png']);
    expect((await fs.readdir(out)).sort()).toEqual(['8-red-circle.png', '9-red-circle.png', 'manifest.csv', 'manifest.json']);
    const nine = await fs.readFile(written.files.find((f) => f.startsWith(path.join(out, '9-')))!);
    expect(await sharp(nine).metadata()).toMatchObject({ width: 32, format: 'png' });
    expect(readRecipe(nine).recipe).toMatchObject({ prompt: 'red, circle', negative: 'blue', seed: 9, step: 6 });
    expect(await failure('export.images', { generationIds: ids.slice(0, 1), folder: out })).toMatchObject({
      code: 'user',
      message: expect.stringMatching(/is not empty/),
    });
    const zipped = await call('export.images', { generationIds: ids, folder: out, zip: true, overwrite: true });
    expect(zipped.count).toBe(3);
    expect(zipped.files).toEqual([zipped.target]);
    expect(zipped.target).toMatch(/homegrown-\d{8}-\d{6}\.zip$/);
    expect((await fs.readFile(zipped.target)).subarray(0, 2).toString()).toBe('PK');
    // Lineage: the details of each image list the exports that used it, newest first.
    const first = (await call('gallery.get', { id: ids[0] })).exports;
    expect(first.map((e) => [e.kind, e.target])).toEqual([
      ['zip', zipped.target],
      ['folder', out],
    ]);
    expect(first[1]!.file).toMatch(/^\d+-red-circle\.png$/);
    expect((await call('gallery.get', { id: ids[2] })).exports.map((e) => e.kind)).toEqual(['zip']);
  });

  it('expands X/Y grids and wildcards, and refuses what it cannot draw before drawing anything', async () => {
    const done = nextEvent(on, isEvent('generation.done'));
    const grid = await call('generate.start', {
      runId,
      prompt: 'red, circle',
      mode: 'grid',
      seedMode: 'fixed',
      seed: 1,
      x: { kind: 'prompt', values: 'red,green' },
      y: { kind: 'seed', values: '1-2' },
    });
    expect(grid).toMatchObject({ total: 4, grid: { xLabels: ['red', 'green'], yLabels: ['Seed: 1', 'Seed: 2'] } });
    await done;
    const cells = (await call('gallery.query', { runId, limit: 4 })).items.map((g) => [g.prompt, g.seed]);
    expect(cells).toEqual(
      expect.arrayContaining([
        ['red, circle', 1],
        ['green, circle', 1],
        ['red, circle', 2],
        ['green, circle', 2],
      ]),
    );
    const done2 = nextEvent(on, isEvent('generation.done'));
    const wild = await call('generate.start', {
      runId,
      prompt: '{red|blue}, {circle|square}, sparkly',
      mode: 'wildcard',
      combinatorial: true,
      seedMode: 'fixed',
      seed: 3,
    });
    expect(wild.prompts).toEqual(['red, circle, sparkly', 'red, square, sparkly', 'blue, circle, sparkly', 'blue, square, sparkly']);
    expect(wild.unknownWords).toEqual(['sparkly']);
    await done2;
    expect(await failure('generate.start', { runId, prompt: 'x', seedMode: 'fixed' })).toMatchObject({
      code: 'user',
      message: 'A fixed seed needs a seed value',
    });
    expect(await failure('generate.start', { runId, prompt: 'x', mode: 'grid' })).toMatchObject({
      code: 'user',
      message: 'An X/Y grid needs an X axis',
    });
    expect(await failure('generate.start', { runId, prompt: 'x', checkpointId: 999 })).toMatchObject({
      code: 'user',
      message: `Checkpoint 999 is not an available checkpoint of run ${runId}`,
    });
    expect(await failure('generate.start', { runId, prompt: 'x', count: 2000 })).toMatchObject({ code: 'invalid-input' });
  });

  it('checks prompts against the run vocabulary and completes words', async () => {
    const check = await call('prompts.check', { prompt: '(red:1.3), cirle', runId });
    expect(check.segments).toEqual([
      { text: 'red', weight: 1.3 },
      { text: ', cirle', weight: 1 },
    ]);
    expect(check.known).toContain('red');
    expect(check.unknown[0]).toMatchObject({ word: 'cirle', suggestions: [{ token: 'circle', distance: 1 }] });
    expect(await call('prompts.complete', { runId, prefix: 'tri' })).toEqual([{ token: 'triangle', count: 4 }]);
  });

  it('pauses (checkpoint, process ends) and resumes where it stopped', async () => {
    const datasetId = (await call('datasets.list', {}))[0]!.id;
    const firstStep = nextEvent(on, isEvent('run.progress'));
    const run = await call('runs.start', {
      datasetId,
      model: 'vae',
      size: 32,
      steps: 5000,
      config: { ...TINY_RUN, sampleEvery: 1000, checkpointEvery: 1000 },
    });
    await firstStep;
    const paused = await call('runs.pause', { id: run.id });
    expect(paused).toMatchObject({ state: 'paused', resumable: true, targetStep: 5000 });
    expect(paused.step).toBeGreaterThan(0);
    const done = nextEvent(
      on,
      isEvent('run.state', (e) => e.runId === run.id && e.state !== 'running'),
    );
    const resumed = await call('runs.resume', { id: run.id, steps: 3 });
    expect(resumed.state).toBe('running');
    // It shows the step it continues from, not 0, before its first new step.
    expect(resumed.step).toBe(paused.step);
    expect((await done).state).toBe('done');
    const detail = await call('runs.get', { id: run.id });
    expect(detail.run.step).toBe(paused.step + 3);
    expect(detail.checkpoints.map((c) => c.step)).toEqual([paused.step, paused.step + 3]);

    // Stop ends a leg early for good: a final checkpoint, state done, still resumable to train more.
    const moving = nextEvent(
      on,
      isEvent('run.progress', (e) => e.runId === run.id),
    );
    await call('runs.resume', { id: run.id, steps: 5000 });
    await moving;
    const stopped = await call('runs.stop', { id: run.id });
    expect(stopped).toMatchObject({ state: 'done', resumable: true });
    expect(stopped.step).toBeGreaterThan(paused.step + 3);
    expect((await call('runs.get', { id: run.id })).checkpoints.at(-1)?.step).toBe(stopped.step);
    expect(await failure('runs.pause', { id: run.id })).toMatchObject({ code: 'user', message: `Run ${run.id} is not training` });
  });

  it('a killed job marks its run failed with a message while the service keeps answering; a restart shows cut-off runs as interrupted', async () => {
    const datasetId = (await call('datasets.list', {}))[0]!.id;
    const firstCheckpoint = nextEvent(on, isEvent('run.checkpoint'));
    const run = await call('runs.start', {
      datasetId,
      model: 'gan',
      size: 32,
      steps: 5000,
      config: { ...TINY_RUN, sampleEvery: 2, checkpointEvery: 2 },
    });
    await firstCheckpoint;
    const failed = nextEvent(
      on,
      isEvent('run.state', (e) => e.runId === run.id && e.state === 'failed'),
    );
    const jobError = nextEvent(
      on,
      isEvent('job.error', (e) => e.runId === run.id),
    );
    spawner.jobs.at(-1)!.kill('SIGKILL');
    expect((await failed).message).toMatch(/^The training process was killed \(SIGKILL\)/);
    expect((await jobError).error.code).toBe('internal');
    expect((await call('app.info', {})).version).toBeTruthy();
    const after = await call('runs.get', { id: run.id });
    expect(after.run).toMatchObject({ state: 'failed', resumable: true });
    expect(after.log.at(-1)).toMatch(/killed \(SIGKILL\)/);

    // As if the machine went off mid-run: the store still says running when the app starts again.
    service.store.runs.setStatus(run.id, 'running');
    await service.close();
    service = await open();
    const reopened = await call('runs.get', { id: run.id });
    expect(reopened.run).toMatchObject({ state: 'interrupted', resumable: true, message: expect.stringMatching(/resume it/) });
    expect((await call('runs.list', {})).map((r) => r.state)).toEqual(['interrupted', 'done', 'done']);
  });

  it('deletes a run that is not training, with its files and images', async () => {
    const [newest] = await call('runs.list', {});
    const folder = path.join(home, 'runs', String(newest!.id));
    await expect(fs.stat(folder)).resolves.toBeTruthy();
    expect(await call('runs.delete', { id: newest!.id })).toEqual({ ok: true });
    await expect(fs.stat(folder)).rejects.toThrow();
    expect(await failure('runs.get', { id: newest!.id })).toMatchObject({ code: 'not-found' });
    expect(await call('runs.list', {})).toHaveLength(2);
  });
});

describe('presets', () => {
  it('create, update, delete; A1111 styles.csv and JSON import/export; a bad file imports nothing', async () => {
    const p = await call('presets.create', { name: 'ink', positive: '{prompt}, ink drawing', negative: 'colour' });
    expect((await call('presets.update', { id: p.id, preset: { name: 'ink', positive: '{prompt}, ink', negative: '' } })).positive).toBe(
      '{prompt}, ink',
    );
    expect(await failure('presets.create', { name: 'ink', positive: '' })).toMatchObject({
      code: 'user',
      message: 'A preset named "ink" already exists',
    });
    const csv = 'name,prompt,negative_prompt\nink,"{prompt}, bold ink",\nwatercolour,"{prompt}, watercolour",photo\n';
    expect(await call('presets.import', { format: 'csv', text: csv })).toEqual({ created: 1, updated: 0, skipped: ['ink'] });
    expect(await call('presets.import', { format: 'csv', text: csv, replace: true })).toEqual({ created: 0, updated: 2, skipped: [] });
    expect(await failure('presets.import', { format: 'json', text: '[{"name": "broken"' })).toMatchObject({ code: 'user' });
    const exported = await call('presets.export', { format: 'json' });
    expect(exported.filename).toBe('presets.json');
    expect(JSON.parse(exported.text)).toEqual([
      { name: 'ink', prompt: '{prompt}, bold ink', negative_prompt: '' },
      { name: 'watercolour', prompt: '{prompt}, watercolour', negative_prompt: 'photo' },
    ]);
    await call('presets.delete', { id: p.id });
    expect((await call('presets.list', {})).map((x) => x.name)).toEqual(['watercolour']);
  });
});
