// Sequences in the gallery, through the API over a real store: found apart from single images, their
// chosen speed kept, and exported at that speed (strip, GIF, WebP, sprite sheet) unless told otherwise.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, DEFAULT_FPS } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { encodeStrip } from '#core/media/animation';
import { callFailure, checkedCall, tempDir } from '#test/fixtures/app-service';
import { fillStore, fixtureRecipe } from '#test/fixtures/export-store';

let service: AppService;
const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);

/** A stored walk of `frames` 8 px frames, each one flat grey a step lighter than the last. */
async function storedSequence(frames: number, fps?: number) {
  const set = { width: 8, height: 8, frames: Array.from({ length: frames }, (_, i) => new Uint8Array(8 * 8 * 3).fill(40 * (i + 1))) };
  const recipe = { ...fixtureRecipe({ prompt: 'red, walk', seed: 4, rgba: [0, 0, 0, 255] }), size: 8 };
  const run = service.store.runs.create({ model: 'gan', config: { size: 8 } });
  return service.store.generations.save({
    image: await encodeStrip(set, recipe),
    prompt: recipe.prompt,
    seed: recipe.seed,
    runId: run.id,
    backend: 'wasm',
    params: { kind: 'walk', sequence: { frames, width: 8, height: 8, kind: 'walk', ...(fps ? { fps } : {}) } },
  });
}

/** Each frame's delay in an exported animation, in ms (a GIF keeps hundredths of a second). */
async function delays(folder: string, file = 'animation.gif'): Promise<number[]> {
  return (await sharp(path.join(folder, file)).metadata()).delay!;
}

beforeEach(async () => {
  service = await AppService.open({ home: await tempDir('hg-sequences-'), backend: 'wasm' });
});

afterEach(async () => {
  await service.close();
});

describe('gallery sequences', () => {
  it('lists sequences apart from single images', async () => {
    const [single] = await fillStore(service.store);
    const walk = await storedSequence(3, 6);
    const ids = async (sequences?: boolean) =>
      (await call('gallery.query', sequences === undefined ? {} : { sequences })).items.map((g) => g.id);
    expect(await ids(true)).toEqual([walk.id]);
    expect(await ids(false)).not.toContain(walk.id);
    expect(await ids(false)).toContain(single!.id);
    expect(await ids()).toHaveLength(4);
  });

  it('keeps the chosen speed, and exports the GIF at it unless told otherwise', async () => {
    const walk = await storedSequence(3, 5);
    const out = await tempDir('hg-sequences-out-');
    const first = await call('sequence.export', { generationId: walk.id, folder: out, formats: ['gif'] });
    expect(await delays(first.folder)).toEqual([200, 200, 200]);

    const changed = await call('sequence.fps', { generationId: walk.id, fps: 10 });
    expect(changed.params['sequence']).toEqual({ frames: 3, width: 8, height: 8, kind: 'walk', fps: 10 });
    expect((await call('gallery.get', { id: walk.id })).generation.params['sequence']).toMatchObject({ fps: 10 });
    const second = await call('sequence.export', { generationId: walk.id, folder: out, formats: ['gif', 'sheet'] });
    expect(await delays(second.folder)).toEqual([100, 100, 100]);
    const atlas = JSON.parse(await fs.readFile(path.join(second.folder, 'sheet.json'), 'utf8'));
    expect(Object.keys(atlas.frames)).toEqual(['frame-01', 'frame-02', 'frame-03']);

    const third = await call('sequence.export', { generationId: walk.id, folder: out, formats: ['gif'], fps: 20 });
    expect(await delays(third.folder)).toEqual([50, 50, 50]);
  });

  it('plays an older sequence with no speed of its own at the default', async () => {
    const walk = await storedSequence(2);
    const written = await call('sequence.export', { generationId: walk.id, folder: await tempDir('hg-sequences-old-'), formats: ['webp'] });
    expect(await delays(written.folder, 'animation.webp')).toEqual([1000 / DEFAULT_FPS, 1000 / DEFAULT_FPS]);
  });

  it('refuses a speed for a single image, a missing image, or out of range', async () => {
    const [single] = await fillStore(service.store);
    expect((await callFailure(service, 'sequence.fps', { generationId: single!.id, fps: 8 })).message).toMatch(
      /single image, not a sequence/,
    );
    expect((await callFailure(service, 'sequence.fps', { generationId: 999, fps: 8 })).message).toMatch(/no image 999/);
    expect(await callFailure(service, 'sequence.fps', { generationId: single!.id, fps: 0 })).toMatchObject({ code: 'invalid-input' });
  });
});
