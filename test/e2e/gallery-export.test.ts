// "Export selected…" in the gallery, in web mode: two of four images ticked, exported enlarged as
// files and then as a sprite sheet; what lands on disk is exactly those images, pixel for pixel, each
// with its recipe, and the gallery remembers where they went.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecipe } from '#core/media/png-meta';
import { launch, openApp, skipReason } from './browser';
import { trainedServer, type TrainedServer } from './trained-server';

const reason = skipReason();

describe.skipIf(reason !== null)(`exporting a gallery selection in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let t: TrainedServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await trainedServer('homegrown-e2e-export-');
    await t.drawn(() => t.call('generate.start', { runId: t.runId, prompt: 'red, circle', seedMode: 'increment', seed: 11, count: 4 }));
    browser = await launch();
    page = await openApp(browser, t.server, errors);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** An image's pixels, enlarged by `scale` with nearest neighbour when asked. */
  async function pixels(file: string | Buffer, scale = 1): Promise<Buffer> {
    const img = sharp(file).ensureAlpha();
    const { width } = await sharp(file).metadata();
    return (scale > 1 ? img.resize(width! * scale, undefined, { kernel: 'nearest' }) : img).raw().toBuffer();
  }

  it('writes the selected images, and only those, as files and as a sprite sheet', { timeout: 120_000 }, async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Gallery', exact: true }).click();
    const tiles = page.locator('.tile');
    await expect.poll(() => tiles.count()).toBe(4);
    const idOf = async (i: number) => Number((await tiles.nth(i).getAttribute('aria-label'))!.match(/^Image (\d+)/)![1]);
    const picks = page.getByRole('checkbox', { name: /^Select image \d+$/ });
    await picks.nth(1).click();
    await picks.nth(3).click();
    const chosen = [await idOf(1), await idOf(3)];
    const bar = page.getByRole('toolbar', { name: 'Selection' });
    await bar.getByRole('button', { name: 'Export selected…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Export' });
    expect(await dialog.getByRole('heading').textContent()).toBe('Export 2 images');
    const out = join(t.root, 'exported');
    await dialog.locator('input[name="folder"]').fill(out);
    await dialog.locator('input[name="template"]').fill('{id}_{seed}');
    await dialog.locator('select[name="upscale"]').selectOption({ label: '×2' });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => dialog.locator('.notice').textContent(), { timeout: 30_000 }).toBe(`Exported 2 images to ${out}`);

    const generations = await Promise.all(chosen.map((id) => t.call('gallery.get', { id })));
    // Two different pictures, so a mix-up would show.
    expect((await pixels(generations[0]!.file)).equals(await pixels(generations[1]!.file))).toBe(false);
    const names = generations.map((d) => `${d.generation.id}_${d.generation.seed}.png`);
    expect((await readdir(out)).sort()).toEqual([...names, 'manifest.csv', 'manifest.json'].sort());
    for (const [i, d] of generations.entries()) {
      const file = join(out, names[i]!);
      expect(await sharp(file).metadata()).toMatchObject({ width: 64, height: 64, format: 'png' });
      expect((await pixels(file)).equals(await pixels(d.file, 2))).toBe(true);
      // Drawn at 32 px by the run, enlarged twice on the way out.
      expect(readRecipe(await readFile(file)).recipe).toMatchObject({
        prompt: 'red, circle',
        seed: d.generation.seed,
        size: 32,
        upscale: 2,
      });
    }
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { files: { file: string; generationId: number }[] };
    expect(manifest.files.map((m) => [m.file, m.generationId])).toEqual(names.map((n, i) => [n, chosen[i]]));
    // Lineage: the exported images say where they went; the others were not exported.
    expect(generations.map((d) => d.exports.length)).toEqual([1, 1]);
    expect((await t.call('gallery.get', { id: await idOf(0) })).exports).toEqual([]);

    // The same selection as one sheet with its atlas.
    await dialog.getByLabel('sprite sheet + atlas').check();
    const sheet = join(t.root, 'sheets', 'pair.png');
    await dialog.locator('input[name="sheet"]').fill(sheet);
    await dialog.locator('select[name="mode"]').selectOption('grid');
    await dialog.locator('select[name="upscale"]').selectOption({ label: 'none' });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect.poll(() => dialog.locator('.notice').textContent(), { timeout: 30_000 }).toMatch(/^Sprite sheet of 2 frames/);
    const atlas = JSON.parse(await readFile(join(t.root, 'sheets', 'pair.json'), 'utf8')) as {
      frames: Record<string, { frame: { x: number; y: number; w: number; h: number } }>;
    };
    const frames = Object.values(atlas.frames);
    expect(frames).toHaveLength(2);
    for (const [i, f] of frames.entries()) {
      const cell = await sharp(sheet).extract({ left: f.frame.x, top: f.frame.y, width: f.frame.w, height: f.frame.h }).png().toBuffer();
      expect((await pixels(cell)).equals(await pixels(generations[i]!.file))).toBe(true);
    }
    expect(errors).toEqual([]);
  });
});
