// Originality through the API over a real store and run: the nearest training images of a generation,
// near copies flagged or skipped by export, and the quality curve of the run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '#shared/api/index';
import { embedRecipe } from '#core/media/png-meta';
import { AppService } from '#core/service/index';
import { measureRun } from '#core/eval/run-quality';
import { RunFiles } from '#core/jobs/run-files';
import { checkedCall, isEvent, nextEvent, tempDir, TINY_RUN } from '#test/fixtures/app-service';
import { writeOpenmojiFolder } from '#test/fixtures/openmoji-folder';

let service: AppService;
let runId: number;
let generated: number;
let copy: number;
let copied: string;

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);

beforeAll(async () => {
  service = await AppService.open({ home: await tempDir('hg-originality-home-'), backend: 'wasm' });
  const folder = path.join(await tempDir('hg-originality-data-'), 'moji');
  const files = await writeOpenmojiFolder(folder, { subgroups: ['animal-mammal', 'food-fruit'], perSubgroup: 5, size: 32 });
  const { dataset } = await call('datasets.open', { folder });
  const finished = nextEvent(
    (l) => service.subscribe(l),
    isEvent('run.state', (e) => e.state !== 'running'),
  );
  runId = (
    await call('runs.start', {
      datasetId: dataset.id,
      model: 'gan',
      size: 32,
      steps: 2,
      config: { ...TINY_RUN, sampleEvery: 2, checkpointEvery: 2 },
    })
  ).id;
  expect(await finished).toMatchObject({ state: 'done' });
  const done = nextEvent((l) => service.subscribe(l), isEvent('generation.done'));
  const made: number[] = [];
  const off = service.subscribe((e) => e.type === 'generation.image' && made.push(e.generation.id));
  await call('generate.start', { runId, prompt: 'food fruit', seed: 1, count: 1 });
  await done;
  off();
  generated = made[0]!;
  // A training image saved as if the run had made it: the copy every check must catch.
  copied = path.relative(folder, files[2]!);
  const recipe = { ...(await call('gallery.get', { id: generated })).recipe!, seed: 99 };
  copy = (
    await service.store.generations.save({
      image: embedRecipe(await fs.readFile(files[2]!), recipe),
      prompt: recipe.prompt,
      seed: 99,
      runId,
      backend: 'wasm',
    })
  ).id;
}, 180_000);

afterAll(async () => {
  await service?.close();
});

describe('gallery.similar', () => {
  it('lists the nearest training images with their dataset image ids, and names a near copy', async () => {
    const own = await call('gallery.similar', { id: generated, k: 3 });
    expect(own.neighbours).toHaveLength(3);
    expect(own.neighbours.every((n) => n.imageId !== null)).toBe(true);
    expect(own.nearCopyOf).toBeNull();
    const c = await call('gallery.similar', { id: copy });
    expect(c.neighbours).toHaveLength(8);
    expect(c.neighbours[0]).toMatchObject({ path: copied, distance: 0 });
    expect(c.nearCopyOf).toBe(copied);
  });
});

describe('export and near copies', () => {
  it('flags a near copy by name and in the manifest by default', async () => {
    const folder = await tempDir('hg-originality-flag-');
    const r = await call('export.images', { generationIds: [generated, copy], folder, template: '{seed}' });
    expect(r.copies).toEqual([{ id: copy, of: copied }]);
    expect(r.unchecked).toEqual([]);
    expect(r.files.map((f) => path.basename(f))).toEqual(['1.png', 'near-copy_99.png']);
    const manifest = JSON.parse(await fs.readFile(path.join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { nearCopyOf?: string }) => f.nearCopyOf)).toEqual([undefined, copied]);
    expect(await fs.readFile(path.join(folder, 'manifest.csv'), 'utf8')).toMatch(
      new RegExp(`near-copy_99\\.png,.*,${copied.replace('.', '\\.')}\\r?\\n`),
    );
  });

  it('skips near copies when asked, and a sheet refuses to hide one', async () => {
    const folder = await tempDir('hg-originality-skip-');
    const r = await call('export.images', { generationIds: [generated, copy], folder, template: '{seed}', nearCopies: 'skip' });
    expect([r.count, r.files.map((f) => path.basename(f))]).toEqual([1, ['1.png']]);
    const sheet = path.join(folder, 'sheet.png');
    await expect(service.call('export.sheet', { generationIds: [generated, copy], sheet })).rejects.toMatchObject({
      message: `Image ${copy} is a near copy of ${copied} and a sheet frame cannot be marked as one: skip near copies or leave it out`,
    });
    expect((await call('export.sheet', { generationIds: [generated, copy], sheet, nearCopies: 'skip' })).frames).toHaveLength(1);
  });
});

describe('runs.quality', () => {
  it('is empty until measured, then the curve with its best checkpoint', async () => {
    expect(await call('runs.quality', { id: runId })).toEqual({ reference: null, points: [], best: null });
    const runDir = service.store.files.resolve(new RunFiles(service.store.files).read(runId).runDir!);
    const measured = await measureRun(runDir, { backend: 'wasm', settings: { perPrompt: 3, classifierSteps: 10 } });
    const q = await call('runs.quality', { id: runId });
    expect(q).toEqual(JSON.parse(JSON.stringify(measured)));
    expect(q.best?.step).toBe(2);
  });
});
