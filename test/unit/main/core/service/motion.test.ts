// Edits, walks, animation and in-betweens through the API, over a real store and real (tiny, 2-step)
// ae and flow runs trained by the app's own jobs: each result lands in the gallery (a sequence as one
// strip), exports as strip, GIF, WebP and sprite sheet, and the wrong kind of run is refused in words.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, ApiError, type ApiEvent, DEFAULT_FPS } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { readGifRecipe } from '#core/media/animation';
import { readRecipe } from '#core/media/png-meta';
import { checkedCall, isEvent, nextEvent, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';
import { buildMovingSprites } from '#test/fixtures/moving-sprites';

let service: AppService;
let aeRun: number;
let flowRun: number;
let data: string;
let sprites: string;

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);
const on = (listener: (e: ApiEvent) => void) => service.subscribe(listener);

async function train(folder: string, model: 'ae' | 'flow'): Promise<number> {
  const { dataset } = await call('datasets.open', { folder });
  const end = nextEvent(
    on,
    isEvent('run.state', (e) => e.state !== 'running'),
  );
  const run = await call('runs.start', {
    datasetId: dataset.id,
    model,
    size: 32,
    steps: 2,
    config: { ...TINY_RUN, sampleEvery: 2, checkpointEvery: 2 },
  });
  expect(await end).toMatchObject({ state: 'done', runId: run.id });
  return run.id;
}

/** Starts a job and waits for its one gallery item. */
async function result<M extends 'edit.start' | 'walk.start' | 'motion.animate' | 'motion.inbetween'>(
  method: M,
  input: Record<string, unknown>,
) {
  let image: Extract<ApiEvent, { type: 'generation.image' }> | undefined;
  const progress: number[] = [];
  const off = on((e) => {
    if (e.type === 'generation.image') image = e;
    if (e.type === 'motion.progress') progress.push(e.done);
  });
  const done = nextEvent(on, (e): e is ApiEvent => e.type === 'generation.done' || e.type === 'job.error');
  const started = await call(method, input);
  const end = await done;
  off();
  expect(end).toMatchObject({ type: 'generation.done', jobId: started.jobId });
  return { started, generation: image!.generation, progress };
}

const b64 = async (file: string) => ({ data: (await fs.readFile(file)).toString('base64'), name: path.basename(file) });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable(),
    (e: ApiError) => e.message,
  );

beforeAll(async () => {
  const home = await tempDir('hg-motion-home-');
  data = await shapesFolder(path.join(await tempDir('hg-motion-data-'), 'shapes'));
  sprites = path.join(await tempDir('hg-motion-sprites-'), 'sprites');
  await buildMovingSprites({ perMotion: 1, frames: 3, motions: ['left', 'up'] }, sprites);
  service = await AppService.open({ home, backend: 'wasm' });
  aeRun = await train(data, 'ae');
  flowRun = await train(sprites, 'flow');
}, 240_000);

afterAll(async () => {
  await service?.close();
});

describe('image prompts, walks and motion', () => {
  it('offers every model for training', async () => {
    expect((await call('app.info', {})).models).toEqual(['gan', 'vae', 'ae', 'flow']);
  });

  it('describes an image with a training caption and edits it into the gallery', async () => {
    const source = path.join(
      data,
      (await fs.readdir(data)).find((f) => f.endsWith('.png'))!,
    );
    const image = await b64(source);
    const { sourcePrompt } = await call('edit.describe', { runId: aeRun, image });
    expect(sourcePrompt).toMatch(/^(red|green|blue|yellow), (circle|square|triangle|cross)$/);
    const { started, generation } = await result('edit.start', {
      runId: aeRun,
      image,
      sourcePrompt,
      prompt: 'blue, cross, zorp',
      strength: 0.5,
      seed: 3,
    });
    expect(started.unknownWords).toEqual(['zorp']);
    expect(generation).toMatchObject({
      prompt: 'blue, cross, zorp',
      seed: 3,
      runId: aeRun,
      params: { kind: 'edit', strength: 0.5, sourcePrompt },
    });
    const file = (await service.image('generation', String(generation.id)))!.data;
    expect(readRecipe(file).recipe).toMatchObject({ model: 'ae', sourcePrompt, strength: 0.5 });
  });

  it('walks from one prompt and seed to another as one sequence', async () => {
    const { generation, progress } = await result('walk.start', {
      runId: aeRun,
      from: 'red, circle',
      to: 'blue, square',
      seed: 1,
      toSeed: 2,
      frames: 5,
      fps: 12,
    });
    expect(generation.params).toMatchObject({
      kind: 'walk',
      toPrompt: 'blue, square',
      sequence: { frames: 5, width: 32, height: 32, fps: 12 },
    });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    // Its first frame is what the first prompt and seed draw on the Generate page.
    const done = nextEvent(on, isEvent('generation.image'));
    await call('generate.start', { runId: aeRun, prompt: 'red, circle', seedMode: 'fixed', seed: 1 });
    const sample = (await service.image('generation', String((await done).generation.id)))!.data;
    const walkStrip = (await service.image('generation', String(generation.id)))!.data;
    const first = await sharp(walkStrip).extract({ left: 0, top: 0, width: 32, height: 32 }).removeAlpha().raw().toBuffer();
    expect(first.equals(await sharp(sample).removeAlpha().raw().toBuffer())).toBe(true);
    const meta = await sharp((await service.image('generation', String(generation.id)))!.data).metadata();
    expect([meta.width, meta.height]).toEqual([5 * 32, 32]);
  });

  it('animates a still and in-betweens two frames with a flow run, and exports the sequence', async () => {
    const left = path.join(sprites, 'left-1');
    const anim = await result('motion.animate', {
      runId: flowRun,
      image: await b64(path.join(left, 'left_01.png')),
      prompt: 'left',
      frames: 4,
    });
    // Made at the default speed when none is chosen.
    expect(anim.generation.params).toMatchObject({ kind: 'animate', sequence: { frames: 4, fps: DEFAULT_FPS } });
    const between = await result('motion.inbetween', {
      runId: flowRun,
      a: await b64(path.join(left, 'left_01.png')),
      b: await b64(path.join(left, 'left_03.png')),
      frames: 1,
    });
    expect(between.generation.params).toMatchObject({ kind: 'inbetween', sequence: { frames: 3 } });
    // Frame 1 of an in-between run is frame a itself.
    const strip = (await service.image('generation', String(between.generation.id)))!.data;
    const first = await sharp(strip).extract({ left: 0, top: 0, width: 32, height: 32 }).removeAlpha().raw().toBuffer();
    const a = await sharp(path.join(left, 'left_01.png')).removeAlpha().raw().toBuffer();
    expect(first.equals(a)).toBe(true);

    const out = await tempDir('hg-motion-out-');
    const written = await call('sequence.export', { generationId: anim.generation.id, folder: out, fps: 10, scale: 2 });
    expect(written.files.map((f) => path.basename(f))).toEqual(['strip.png', 'animation.gif', 'animation.webp', 'sheet.png', 'sheet.json']);
    expect(readGifRecipe(await fs.readFile(path.join(written.folder, 'animation.gif')))).toMatchObject({
      model: 'flow',
      prompt: 'left',
      frames: 4,
    });
    expect((await sharp(path.join(written.folder, 'strip.png')).metadata()).width).toBe(4 * 64);
    const atlas = JSON.parse(await fs.readFile(path.join(written.folder, 'sheet.json'), 'utf8'));
    expect(Object.keys(atlas.frames)).toEqual(['frame-01', 'frame-02', 'frame-03', 'frame-04']);
    expect(atlas.frames['frame-02'].frame).toMatchObject({ w: 64, h: 64 });
    // A second export never overwrites the first.
    const again = await call('sequence.export', { generationId: anim.generation.id, folder: out, formats: ['gif'] });
    expect(again.folder).not.toBe(written.folder);
    expect(again.files.map((f) => path.basename(f))).toEqual(['animation.gif']);
  });

  it('refuses the wrong kind of run, or a single image as a sequence, in plain words', async () => {
    const image = await b64(path.join(sprites, 'left-1', 'left_01.png'));
    expect(await refusal(call('edit.describe', { runId: flowRun, image }))).toMatch(
      /flow run, which cannot read images: editing an image needs an ae or vae run/,
    );
    expect(await refusal(call('motion.animate', { runId: aeRun, image, prompt: 'left', frames: 3 }))).toMatch(
      /ae run: animating and in-betweens need a flow run/,
    );
    expect(await refusal(call('walk.start', { runId: flowRun, from: 'a', to: 'b', seed: 0, toSeed: 0, frames: 3 }))).toMatch(
      /flow run.*a walk needs/,
    );
    expect(await refusal(call('generate.start', { runId: flowRun, prompt: 'left' }))).toMatch(
      /flow run: it moves frames \(the Animate page\)/,
    );
    const notImage = { data: Buffer.from('not an image').toString('base64'), name: 'notes.png' };
    expect(await refusal(call('motion.animate', { runId: flowRun, image: notImage, prompt: 'left', frames: 3 }))).toMatch(/notes\.png/);
    const edit = (await call('gallery.query', { limit: 50 })).items.find((g) => g.params['kind'] === 'edit')!;
    expect(await refusal(call('sequence.export', { generationId: edit.id, folder: await tempDir('hg-motion-no-') }))).toMatch(
      /single image, not a sequence/,
    );
  });
});
