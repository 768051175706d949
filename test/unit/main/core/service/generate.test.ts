// Generation traps, over a real store and a real (tiny, 6-step) trained run: a fixed seed with a count
// draws different images, braces never reach a recipe, checkpoint grids speak in steps, and the
// image count is known before drawing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type ApiEvent } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { readRecipe } from '#core/media/png-meta';
import { checkedCall, isEvent, nextEvent, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let service: AppService;
let runId: number;

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);
const on = (listener: (e: ApiEvent) => void) => service.subscribe(listener);

/** Starts a generation and waits for all its images. */
async function generate(input: Record<string, unknown>) {
  const images: Extract<ApiEvent, { type: 'generation.image' }>[] = [];
  const off = on((e) => e.type === 'generation.image' && images.push(e));
  const done = nextEvent(on, isEvent('generation.done'));
  const started = await call('generate.start', { runId, ...input });
  await done;
  off();
  return { started, images: images.filter((e) => e.jobId === started.jobId) };
}

beforeAll(async () => {
  const home = await tempDir('hg-generate-home-');
  const data = await shapesFolder(path.join(await tempDir('hg-generate-data-'), 'shapes'));
  service = await AppService.open({ home, backend: 'wasm' });
  const { dataset } = await call('datasets.open', { folder: data });
  const end = nextEvent(
    on,
    isEvent('run.state', (e) => e.state !== 'running'),
  );
  runId = (
    await call('runs.start', {
      datasetId: dataset.id,
      model: 'gan',
      size: 32,
      steps: 6,
      config: { ...TINY_RUN, sampleEvery: 3, checkpointEvery: 3 },
    })
  ).id;
  expect(await end).toMatchObject({ state: 'done' });
}, 180_000);

afterAll(async () => {
  await service?.close();
});

describe('generate', () => {
  it('gives the copies of a fixed seed seed, seed+1, … so they are different images', async () => {
    const { images } = await generate({ prompt: 'red, circle', seedMode: 'fixed', seed: 100, count: 3 });
    expect(images.map((e) => e.generation.seed)).toEqual([100, 101, 102]);
    const bytes = await Promise.all(
      images.map(async (e) => (await service.image('generation', String(e.generation.id)))!.data.toString('base64')),
    );
    expect(new Set(bytes).size).toBe(3);
    // In a grid a fixed seed is what every cell starts from: the cells differ by their prompt only.
    const grid = await generate({
      prompt: 'red, circle',
      mode: 'grid',
      seedMode: 'fixed',
      seed: 5,
      count: 2,
      x: { kind: 'prompt', values: 'red,blue' },
    });
    expect(grid.images.map((e) => [e.generation.prompt, e.generation.seed])).toEqual([
      ['red, circle', 5],
      ['red, circle', 6],
      ['blue, circle', 5],
      ['blue, circle', 6],
    ]);
  });

  it('picks {a|b} variants per image in single-prompt mode, so no braces reach the recipe', async () => {
    const { started, images } = await generate({
      prompt: '{red|blue|green}, circle',
      mode: 'single',
      seedMode: 'increment',
      seed: 1,
      count: 4,
    });
    expect(started.prompts.every((p) => /^(red|blue|green), circle$/.test(p))).toBe(true);
    const file = await service.image('generation', String(images[0]!.generation.id));
    const { recipe, parameters } = readRecipe(file!.data);
    expect(recipe).toMatchObject({ prompt: started.prompts[0] });
    expect(`${recipe!.prompt}${parameters}`).not.toMatch(/[{}|]/);
  });

  it('takes a checkpoint axis as steps and ranges, labels it with steps, and counts images before drawing', async () => {
    const rows = (await call('gallery.query', { runId })).items.length;
    const input = {
      prompt: 'red, circle',
      mode: 'grid',
      seedMode: 'fixed',
      seed: 1,
      count: 2,
      x: { kind: 'checkpoint', values: '1-6' },
      y: { kind: 'prompt', values: 'red,blue,green' },
    };
    expect(await call('generate.plan', { runId, ...input })).toMatchObject({
      total: 12,
      grid: { xLabels: ['step 3', 'step 6'], yLabels: ['red', 'blue', 'green'] },
    });
    // Planning draws nothing and records no prompt.
    expect((await call('gallery.query', { runId })).items).toHaveLength(rows);
    const { images } = await generate({ ...input, count: 1, x: { kind: 'checkpoint', values: '6, 3' } });
    const detail = await call('runs.get', { id: runId });
    const stepOf = new Map(detail.checkpoints.map((c) => [c.id, c.step]));
    expect(images.map((e) => [stepOf.get(e.generation.checkpointId!), e.cell!.x, e.generation.params.grid])).toContainEqual([
      3,
      1,
      expect.objectContaining({ xLabel: 'step 3' }),
    ]);
    await expect(service.call('generate.plan', { runId, ...input, x: { kind: 'checkpoint', values: '4' } })).rejects.toMatchObject({
      code: 'user',
      message: 'No checkpoint at step 4; this run has checkpoints at steps 3, 6',
    });
    await expect(service.call('generate.plan', { runId, ...input, count: 100, y: { kind: 'seed', values: '1-10' } })).rejects.toMatchObject(
      { code: 'user', message: 'That would make 2000 images; at most 1000 at a time' },
    );
  });
});
