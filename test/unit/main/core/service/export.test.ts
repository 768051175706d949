// The app's export options and recipe reading over a real store: a tiny GAN trained for a few steps in
// its own process, real generated images, and real files written and read back.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { readRecipe } from '#core/media/png-meta';
import { ArrayAtlas, HashAtlas } from '#test/fixtures/atlas-formats';
import { callFailure, checkedCall, isEvent, nextEvent, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let service: AppService;
let runId: number;
let ids: number[];

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);

const failure = (method: string, input: unknown) => callFailure(service, method, input);

async function generate(input: Record<string, unknown>): Promise<number[]> {
  const on = (l: Parameters<AppService['subscribe']>[0]) => service.subscribe(l);
  const done = nextEvent(on, isEvent('generation.done'));
  const made: number[] = [];
  const off = on((e) => e.type === 'generation.image' && made.push(e.generation.id));
  await call('generate.start', { runId, ...input });
  await done;
  off();
  return made;
}

beforeAll(async () => {
  service = await AppService.open({ home: await tempDir('hg-appexport-home-'), backend: 'wasm' });
  const folder = await shapesFolder(path.join(await tempDir('hg-appexport-data-'), 'shapes'));
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
      steps: 3,
      config: { ...TINY_RUN, sampleEvery: 3, checkpointEvery: 3 },
    })
  ).id;
  expect(await finished).toMatchObject({ state: 'done' });
  ids = await generate({ prompt: 'red, circle', seedMode: 'increment', seed: 5, count: 3 });
}, 180_000);

afterAll(async () => {
  await service?.close();
});

describe('export options', () => {
  it('packs a sprite sheet with a TexturePacker atlas, and a grid sheet with an array atlas', async () => {
    const dir = await tempDir('hg-appexport-sheet-');
    const packed = await call('export.sheet', {
      generationIds: ids,
      sheet: path.join(dir, 'sprites.png'),
      padding: 3,
      upscale: 2,
      template: '{seed}',
    });
    expect(packed).toMatchObject({
      sheet: path.join(dir, 'sprites.png'),
      atlas: path.join(dir, 'sprites.json'),
      frames: ['5.png', '6.png', '7.png'],
    });
    const hash = HashAtlas.parse(JSON.parse(await fs.readFile(packed.atlas, 'utf8')));
    expect(Object.values(hash.frames).map((f) => [f.frame.w, f.frame.h])).toEqual([
      [64, 64],
      [64, 64],
      [64, 64],
    ]);
    expect(await sharp(packed.sheet).metadata()).toMatchObject({ width: packed.width, height: packed.height, format: 'png' });
    expect(hash.meta.size).toEqual({ w: packed.width, h: packed.height });

    const grid = await call('export.sheet', {
      generationIds: ids,
      sheet: path.join(dir, 'grid.png'),
      mode: 'grid',
      atlas: 'array',
      columns: 3,
      padding: 0,
      pot: true,
    });
    const array = ArrayAtlas.parse(JSON.parse(await fs.readFile(grid.atlas, 'utf8')));
    expect(array.frames.map((f) => [f.frame.x, f.frame.y])).toEqual([
      [0, 0],
      [32, 0],
      [64, 0],
    ]);
    expect([grid.width, grid.height]).toEqual([128, 32]);
    // Every frame is the generation's pixels, unchanged.
    const first = await sharp(service.store.files.resolve(service.store.generations.get(ids[0]!)!.path))
      .ensureAlpha()
      .raw()
      .toBuffer();
    const cell = await sharp(grid.sheet).extract({ left: 0, top: 0, width: 32, height: 32 }).ensureAlpha().raw().toBuffer();
    expect(cell.equals(first)).toBe(true);
    expect(await failure('export.sheet', { generationIds: ids, sheet: grid.sheet })).toMatchObject({
      code: 'user',
      message: `${grid.sheet} already exists: choose another name, or tick “replace existing files”`,
    });
  });

  it('upscales with nearest neighbour, keys out the background and snaps to the run’s training palette', async () => {
    const out = path.join(await tempDir('hg-appexport-ops-'), 'pixel');
    const r = await call('export.images', {
      generationIds: ids.slice(0, 1),
      folder: out,
      upscale: 4,
      keyOut: { tolerance: 30, softness: 0 },
      palette: { colors: 4 },
    });
    const file = await fs.readFile(r.files[0]!);
    const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([128, 128]);
    // ×4 nearest: every 4×4 block is one colour; the palette leaves at most 4 opaque colours, alpha on or off.
    const px = (x: number, y: number) => data.readUInt32LE((y * 128 + x) * 4);
    for (let y = 0; y < 128; y += 4) for (let x = 0; x < 128; x += 4) expect(px(x + 3, y + 3)).toBe(px(x, y));
    const opaque = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      expect([0, 255]).toContain(data[i + 3]);
      if (data[i + 3] === 255) opaque.add(data.readUInt32LE(i));
    }
    expect(opaque.size).toBeLessThanOrEqual(4);
    expect(readRecipe(file).recipe).toMatchObject({ prompt: 'red, circle', seed: 5, generationId: ids[0] });
    expect(await failure('export.images', { generationIds: ids, folder: out, palette: { runId: 999 } })).toMatchObject({
      code: 'user',
      message: 'There is no run 999 to take a palette from',
    });
    expect(await failure('export.images', { generationIds: ids, folder: out, upscale: 3 })).toMatchObject({ code: 'invalid-input' });
  });

  it('previews palette snapping and upscaling without writing a file', async () => {
    const r = await call('export.preview', { generationId: ids[0], palette: { colors: 4 }, upscale: 2 });
    expect([r.width, r.height]).toEqual([64, 64]);
    expect(r.palette).toHaveLength(4);
    expect(r.palette.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true);
    const png = Buffer.from(r.image.replace(/^data:image\/png;base64,/, ''), 'base64');
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([64, 64]);
    const opaque = new Set<string>();
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3] === 255) opaque.add(`#${[...data.subarray(i, i + 3)].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
    expect([...opaque].every((c) => r.palette.includes(c))).toBe(true);
    const plain = await call('export.preview', { generationId: ids[0] });
    expect([plain.width, plain.height, plain.palette]).toEqual([32, 32, []]);
    expect(await failure('export.preview', { generationId: 999 })).toMatchObject({ code: 'user', message: 'There is no image 999' });
  });

  it('draws seamless tiles when asked; the recipe says so', async () => {
    const [id] = await generate({ prompt: 'green, square', seedMode: 'fixed', seed: 1, count: 1, tile: 'xy' });
    const detail = await call('gallery.get', { id: id! });
    expect(detail.generation.params).toMatchObject({ tile: 'xy' });
    expect(readRecipe(await fs.readFile(detail.file)).recipe).toMatchObject({ tile: 'xy', seed: 1 });
    expect(await failure('generate.start', { runId, prompt: 'x', tile: 'z' })).toMatchObject({ code: 'invalid-input' });
  });
});

describe('recipe.read', () => {
  it('reads back a generated PNG and an exported WebP with their run and checkpoint', async () => {
    const g = service.store.generations.get(ids[1]!)!;
    const png = await fs.readFile(service.store.files.resolve(g.path));
    const read = await call('recipe.read', { data: png.toString('base64'), name: 'a.png' });
    expect(read).toMatchObject({
      recipe: { prompt: 'red, circle', negative: '', seed: 6, model: 'gan', step: 3 },
      runId,
      checkpointId: g.checkpointId,
    });
    expect(read.parameters).toMatch(/^red, circle\n.*Seed: 6/s);

    const out = path.join(await tempDir('hg-appexport-webp-'), 'w');
    const [webp] = (await call('export.images', { generationIds: [g.id], folder: out, format: 'webp' })).files;
    const fromWebp = await call('recipe.read', { data: (await fs.readFile(webp!)).toString('base64') });
    expect(fromWebp).toMatchObject({ recipe: { seed: 6 }, runId, checkpointId: g.checkpointId });
  });

  it('says when an image has no recipe, and refuses what is not an image or too large', async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    expect(await call('recipe.read', { data: plain.toString('base64') })).toEqual({
      recipe: null,
      parameters: null,
      runId: null,
      checkpointId: null,
    });
    expect(await failure('recipe.read', { data: Buffer.from('just text').toString('base64'), name: 'notes.png' })).toMatchObject({
      code: 'user',
      message: 'notes.png is not an image Homegrown can read (PNG, WebP or JPEG)',
    });
    expect(await failure('recipe.read', { data: 'not base64!' })).toMatchObject({ code: 'invalid-input' });
    expect(await failure('recipe.read', { data: 'A'.repeat(12 * 1024 * 1024) })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/larger than 8 MB/),
    });
  });
});
