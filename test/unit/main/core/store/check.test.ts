// `db check` on stores the app itself made: a run that pruned old checkpoints passes, and what a crash
// between writing a file and recording its row leaves (an orphan) is reported as harmless, then
// adopted (an image that carries its recipe) or removed by the fix.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, Output } from '#shared/api/index';
import type { Recipe } from '#shared/recipe';
import { embedRecipe, readRecipe } from '#core/media/png-meta';
import { AppService } from '#core/service/index';
import { isEvent, nextEvent, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let service: AppService;
let runId: number;
const on = (listener: (e: ApiEvent) => void) => service.subscribe(listener);

beforeAll(async () => {
  const data = await shapesFolder(path.join(await tempDir('hg-check-data-'), 'shapes'));
  service = await AppService.open({ home: await tempDir('hg-check-home-'), backend: 'wasm' });
  const report = (await service.call('datasets.open', { folder: data })) as Output<'datasets.open'>;
  const done = nextEvent(
    on,
    isEvent('run.state', (e) => e.state !== 'running'),
  );
  const config = { ...TINY_RUN, checkpointEvery: 1, sampleEvery: 5, keepCheckpoints: 2 };
  runId = (
    (await service.call('runs.start', { datasetId: report.dataset.id, model: 'gan', size: 32, steps: 5, config })) as Output<'runs.start'>
  ).id;
  expect(await done).toMatchObject({ state: 'done' });
});

afterAll(async () => {
  await service?.close();
});

describe('db check', () => {
  it('passes on a store whose run pruned its old checkpoints, which keep no rows', () => {
    expect(service.store.runs.checkpoints(runId).map((c) => c.step)).toEqual([4, 5]);
    expect(service.store.check()).toMatchObject({ ok: true, missingFiles: [], orphans: [] });
  });

  it('reports orphans as harmless, and the fix adopts images with a recipe and removes the rest', async () => {
    const done = nextEvent(on, isEvent('generation.done'));
    await service.call('generate.start', { runId, prompt: 'red, circle', count: 2, seedMode: 'increment', seed: 7 });
    await done;
    const [second, first] = service.store.generations.search({}).items;
    const store = service.store;
    const at = (rel: string) => store.files.resolve(rel);
    // The state a kill between the durable write of an image and its row leaves behind:
    store.db.prepare('DELETE FROM generations WHERE id = ?').run(first!.id);
    const month = path.posix.dirname(first!.path);
    const orphans = {
      image: first!.path,
      temp: `${month}/half-written.png.4242.1b2c.tmp`,
      noRecipe: `${month}/no-recipe.png`,
      otherCheckpoint: `${month}/other-checkpoint.png`,
      brokenRecipe: `${month}/broken-recipe.png`,
      runFolder: 'runs/999',
    };
    const secondPng = await fs.readFile(at(second!.path));
    const recipe = readRecipe(secondPng).recipe!;
    await fs.writeFile(at(orphans.otherCheckpoint), embedRecipe(secondPng, { ...recipe, checkpoint: 'f'.repeat(64) }));
    await fs.writeFile(at(orphans.brokenRecipe), embedRecipe(secondPng, { ...recipe, seed: 'seven' } as unknown as Recipe));
    await fs.writeFile(at(orphans.temp), (await fs.readFile(at(second!.path))).subarray(0, 40));
    await fs.writeFile(at(orphans.noRecipe), 'not a png');
    await fs.mkdir(at(orphans.runFolder));
    await fs.writeFile(at(`${orphans.runFolder}/job.json`), '{}');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const rel of Object.values(orphans)) await fs.utimes(at(rel), hourAgo, hourAgo);
    // One being written right now is not an orphan yet.
    await fs.writeFile(at(`${month}/being-written.png`), 'x');

    const report = store.check();
    expect(report).toMatchObject({ ok: true, missingFiles: [] });
    expect(report.orphans).toEqual(Object.values(orphans).sort());

    const fixed = await store.fix();
    const { image, ...unadoptable } = orphans;
    expect(fixed).toEqual({ adopted: [image], removed: Object.values(unadoptable).sort(), forgottenCheckpoints: 0 });
    for (const rel of Object.values(unadoptable)) await expect(fs.lstat(at(rel))).rejects.toMatchObject({ code: 'ENOENT' });
    const adopted = store.generations.search({}).items.find((g) => g.path === orphans.image)!;
    expect(adopted).toMatchObject({
      prompt: 'red, circle',
      negative: '',
      seed: first!.seed,
      runId,
      checkpointId: first!.checkpointId,
      backend: first!.backend,
    });
    expect(store.check()).toMatchObject({ ok: true, orphans: [] });
  });
});
