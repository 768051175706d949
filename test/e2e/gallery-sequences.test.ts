// A walk in the gallery, in web mode: one tile that plays in place, found with the Show filter,
// opened to play at its kept speed, given a new speed that the gallery keeps, and exported as strip,
// GIF, WebP and sprite sheet with atlas at that speed.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp, skipReason } from './browser';
import { trainedServer, type TrainedServer } from './trained-server';

const reason = skipReason();

describe.skipIf(reason !== null)(`sequences in the gallery in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let t: TrainedServer;
  let walkId: number;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await trainedServer('homegrown-e2e-sequences-');
    await t.drawn(() => t.call('generate.start', { runId: t.runId, prompt: 'red, circle', seedMode: 'increment', seed: 1, count: 2 }));
    await t.drawn(() =>
      t.call('walk.start', { runId: t.runId, from: 'red, circle', to: 'blue, square', seed: 1, toSeed: 2, frames: 4, fps: 4 }),
    );
    walkId = (await t.call('gallery.query', { sequences: true })).items[0]!.id;
    browser = await launch();
    page = await openApp(browser, t.server, errors);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** What a playing element shows over a second and a half, sampled: more than one value means it plays. */
  async function shown(read: () => Promise<string | null>): Promise<Set<string | null>> {
    const seen = new Set<string | null>();
    for (let i = 0; i < 12; i++) {
      seen.add(await read());
      await page.waitForTimeout(125);
    }
    return seen;
  }

  it('plays a sequence in place, keeps its speed and exports it in every format', { timeout: 180_000 }, async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Gallery', exact: true }).click();
    const tiles = page.locator('.tile');
    const thumb = page.getByTestId('sequence-thumb');
    await expect.poll(() => tiles.count()).toBe(3);
    expect(await thumb.count()).toBe(1);
    // One tile for the whole walk, stepping through its 4 frames at its 4 fps.
    const style = (prop: 'backgroundPosition' | 'animationDuration') =>
      thumb.evaluate(
        (el, p) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[p]!,
        prop,
      );
    expect(await style('animationDuration')).toBe('1s');
    expect((await shown(() => style('backgroundPosition'))).size).toBeGreaterThan(1);

    const show = page.locator('select[name="sequences"]');
    await show.selectOption({ label: 'sequences' });
    await expect.poll(() => tiles.count()).toBe(1);
    await show.selectOption({ label: 'single images' });
    await expect.poll(() => tiles.count()).toBe(2);
    expect(await thumb.count()).toBe(0);
    await show.selectOption({ label: 'everything' });
    await expect.poll(() => tiles.count()).toBe(3);

    // Opened, it plays at the speed it was made with; a new speed is kept, and the tile follows.
    await page.locator('.tile', { has: thumb }).click();
    const detail = page.getByRole('dialog', { name: `Image ${walkId}` });
    const stage = detail.locator('.stage');
    expect(await stage.getAttribute('aria-label')).toMatch(/^Sequence: red, circle, frame \d of 4$/);
    const fps = detail.locator('input[name="fps"]');
    expect(await fps.inputValue()).toBe('4');
    expect((await shown(() => stage.getAttribute('data-frame'))).size).toBeGreaterThan(1);
    await fps.fill('12');
    await expect.poll(async () => (await t.call('gallery.get', { id: walkId })).generation.params['sequence']).toMatchObject({ fps: 12 });
    await expect.poll(async () => parseFloat(await style('animationDuration'))).toBeCloseTo(4 / 12, 5);

    const out = join(t.root, 'exports');
    await detail.getByLabel('Into folder').fill(out);
    await detail.getByRole('button', { name: 'All four' }).click();
    await expect.poll(() => detail.getByTestId('export-done').textContent(), { timeout: 30_000 }).toMatch(/^Saved 5 files in /);
    const [folder] = await readdir(out);
    const file = (name: string) => join(out, folder!, name);
    expect((await readdir(join(out, folder!))).sort()).toEqual(['animation.gif', 'animation.webp', 'sheet.json', 'sheet.png', 'strip.png']);
    expect(await sharp(file('strip.png')).metadata()).toMatchObject({ width: 4 * 32, height: 32 });
    expect(await sharp(file('animation.gif')).metadata()).toMatchObject({ pages: 4, delay: [80, 80, 80, 80] });
    expect(await sharp(file('animation.webp')).metadata()).toMatchObject({ pages: 4, delay: [83, 83, 83, 83] });
    expect(Object.keys(JSON.parse(await readFile(file('sheet.json'), 'utf8')).frames)).toEqual([
      'frame-01',
      'frame-02',
      'frame-03',
      'frame-04',
    ]);
    expect(errors).toEqual([]);
  });
});
