// Bulk work in the gallery, the trash, the pixel-art preview, the sample-sheet timeline and setting a
// near-duplicate aside, in web mode with its own data folder: a tiny GAN trained and 6 images drawn
// through the service, then everything else done in Chromium as a user would.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '#shared/api/index';
import { startServer, type RunningServer } from '#main/server/start';
import { buildAppDataset } from '../fixtures/app-dataset';
import { isEvent, nextEvent, TINY_RUN } from '../fixtures/app-service';
import { launch, openApp, skipReason } from './browser';

const SHOTS = join(import.meta.dirname, '../../test-results/e2e');
const reason = skipReason();

describe.skipIf(reason !== null)(`gallery, trash, preview and timeline in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let home: string;
  let dataset: Awaited<ReturnType<typeof buildAppDataset>>;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const call = async <M extends string>(method: M, input: unknown) => server.service.call(method, input);
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `app-${name}.png`), fullPage: true });
  const go = async (name: string) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
    await page.waitForURL(new RegExp(`#/${name.toLowerCase()}$`));
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    home = await mkdtemp(join(tmpdir(), 'homegrown-e2e-gallery-'));
    dataset = await buildAppDataset(1);
    server = await startServer({ home, port: 0, service: { backend: 'wasm' } });
    const on = (l: Parameters<RunningServer['service']['subscribe']>[0]) => server.service.subscribe(l);
    const { dataset: ds } = (await call('datasets.open', { folder: dataset.root })) as Output<'datasets.open'>;
    // Sheets at steps 2, 4 and 6; a checkpoint only at 6.
    const finished = nextEvent(
      on,
      isEvent('run.state', (e) => e.state !== 'running'),
    );
    const run = (await call('runs.start', {
      datasetId: ds.id,
      model: 'gan',
      size: 32,
      steps: 6,
      config: { ...TINY_RUN, sampleEvery: 2, checkpointEvery: 6 },
    })) as Output<'runs.start'>;
    expect(await finished).toMatchObject({ state: 'done' });
    const drawn = nextEvent(on, isEvent('generation.done'));
    await call('generate.start', { runId: run.id, prompt: 'red, circle', seedMode: 'increment', seed: 1, count: 6 });
    await drawn;
    browser = await launch();
    page = await openApp(browser, server, errors);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dataset?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('sets a near-duplicate aside into the folder, deleting nothing', { timeout: 120_000 }, async () => {
    await page.getByLabel('Folder path').fill(dataset.root);
    await page.getByRole('button', { name: 'Open & check' }).click();
    await page.getByText('images used').waitFor();
    const group = page.getByTestId('duplicate-group');
    expect(await group.count()).toBe(1);
    expect(await page.locator('.fixes').textContent()).not.toMatch(/--|keep one image of each/);
    // Keep the copy, set the original aside.
    await group.getByLabel('Keep red-circle-copy.png').check();
    await group.getByRole('button', { name: 'Set the other aside' }).click();
    await expect.poll(() => page.locator('.notice').first().textContent()).toMatch(/^Moved 1 file to .*\.set-aside \(nothing was deleted/);
    await expect.poll(() => group.count()).toBe(0);
    expect(existsSync(join(dataset.root, '.set-aside', 'red-circle-0.png'))).toBe(true);
    expect(existsSync(join(dataset.root, 'red-circle-0.png'))).toBe(false);
    expect(existsSync(join(dataset.root, 'red-circle-copy.png'))).toBe(true);
  });

  it('selects, tags, trashes, undoes, restores and empties the trash', { timeout: 120_000 }, async () => {
    await go('Gallery');
    const tiles = page.locator('.tile');
    const picks = page.getByRole('checkbox', { name: /^Select image \d+$/ });
    const selected = page.getByTestId('selected-count');
    const bar = page.getByRole('toolbar', { name: 'Selection' });
    await expect.poll(() => tiles.count()).toBe(6);

    // Click, then shift-click: a range of three.
    await picks.nth(0).click();
    await picks.nth(2).click({ modifiers: ['Shift'] });
    await expect.poll(() => selected.textContent()).toBe('3 images selected');
    expect(await picks.evaluateAll((els) => els.map((e) => (e as unknown as { checked: boolean }).checked))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    await bar.getByLabel('Tag for the selection').fill('keeper');
    await bar.getByRole('button', { name: 'Add tag' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Tagged 3 images “keeper”');
    await bar.locator('select[name="bulkRating"]').selectOption({ label: '★★★★' });
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Rated 3 images');
    await shot('gallery-selection');
    await page.getByLabel('Tag', { exact: true }).fill('keeper');
    await expect.poll(() => tiles.count()).toBe(3);
    await page.getByLabel('Tag', { exact: true }).fill('');
    await expect.poll(() => tiles.count()).toBe(6);

    // Select all shown, clear, then two into the trash and back with Undo.
    await bar.getByRole('button', { name: 'Select all shown' }).click();
    await expect.poll(() => selected.textContent()).toBe('6 images selected');
    await bar.getByRole('button', { name: 'Clear' }).click();
    await picks.nth(4).click();
    await picks.nth(5).click();
    await bar.getByRole('button', { name: 'Move to trash' }).click();
    await expect.poll(() => tiles.count()).toBe(4);
    await page.getByRole('button', { name: 'Trash (2)' }).waitFor();
    await page.locator('.notice').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => tiles.count()).toBe(6);
    await page.getByRole('button', { name: 'Trash (0)' }).waitFor();

    // Again, then into the trash view: restore one, empty the trash of the other.
    await picks.nth(4).click();
    await picks.nth(5).click();
    await bar.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('button', { name: 'Trash (2)' }).click();
    await expect.poll(() => tiles.count()).toBe(2);
    await picks.nth(0).click();
    await expect.poll(() => selected.textContent()).toBe('1 image selected');
    await shot('gallery-trash');
    await bar.getByRole('button', { name: 'Restore selected' }).click();
    await expect.poll(() => tiles.count()).toBe(1);
    const doomed = Number((await tiles.first().getAttribute('aria-label'))!.match(/^Image (\d+)/)![1]);
    const file = ((await call('gallery.get', { id: doomed })) as Output<'gallery.get'>).file;
    expect(existsSync(file)).toBe(true);
    await bar.getByRole('button', { name: 'Empty trash…' }).click();
    await bar.getByRole('button', { name: 'Delete 1 image for good' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Deleted 1 image for good');
    await page.getByText('The trash is empty.').waitFor();
    expect(existsSync(file)).toBe(false);
    await page.getByRole('button', { name: '← Back to the gallery' }).click();
    await expect.poll(() => tiles.count()).toBe(5);
    expect(errors).toEqual([]);
  });

  it('previews palette snapping and upscaling in the gallery and under Generate', { timeout: 120_000 }, async () => {
    await go('Gallery');
    const tiles = page.locator('.tile');
    await tiles.first().click();
    const detail = page.getByRole('dialog', { name: /^Image \d+$/ });
    await detail.getByText('Preview as pixel art').click();
    const preview = detail.getByTestId('pixel-preview');
    await expect.poll(() => preview.locator('.size').textContent(), { timeout: 60_000 }).toBe('128×128 px, 16 colours');
    await preview.locator('select[name="previewUpscale"]').selectOption({ label: '×2' });
    await preview.locator('select[name="previewColors"]').selectOption({ label: '4 colours from the training set' });
    await expect.poll(() => preview.locator('.size').textContent(), { timeout: 60_000 }).toBe('64×64 px, 4 colours');
    expect(await preview.getByRole('list', { name: 'Palette' }).locator('li').count()).toBe(4);
    // Transparent pixels sit on the checkerboard, not on a flat colour.
    expect(
      await preview
        .locator('.frame')
        .evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundImage: string } }).getComputedStyle(el).backgroundImage,
        ),
    ).toContain('conic-gradient');
    await detail.getByRole('button', { name: 'Close details' }).click();

    // The same preview under Generate's results.
    await go('Generate');
    await page.getByLabel('Prompt', { exact: true }).fill('blue, square');
    await page.getByLabel('Count').fill('1');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => page.locator('.results figure img').count(), { timeout: 60_000 }).toBe(1);
    await page.getByText('Preview as pixel art (palette snapping, upscaling)').click();
    const generated = page.getByRole('region', { name: 'Results' }).getByTestId('pixel-preview');
    await expect.poll(() => generated.locator('.size').textContent(), { timeout: 60_000 }).toBe('128×128 px, 16 colours');
    expect(errors).toEqual([]);
  });

  it('shows every sample sheet with its labels, at integer zoom, two side by side', { timeout: 120_000 }, async () => {
    await go('Train');
    await page.locator('aside button').first().click();
    const steps = page.getByRole('listbox', { name: 'Sample sheets' }).getByRole('option');
    await expect
      .poll(async () => (await steps.allTextContents()).map((t) => t.replace(/\s+/gu, ' ')))
      .toEqual(['step 2', 'step 4', 'step 6 ◆']);
    await steps.first().click();
    const view = page.getByTestId('sheet-view');
    expect(await view.first().textContent()).toContain('no checkpoint at this step');
    expect(await view.first().locator('.cols span').count()).toBeGreaterThan(1);
    expect(await view.first().locator('.cols span').first().getAttribute('title')).toMatch(/^seed \d+$/);
    expect(await view.first().locator('.rows span').first().textContent()).toMatch(/\w/);
    await page.locator('select[name="compareStep"]').selectOption({ label: 'step 6' });
    await expect.poll(() => view.count()).toBe(2);
    expect(await view.nth(1).getByRole('button', { name: 'Generate with step 6' }).count()).toBe(1);
    // ×1 is one screen pixel per model pixel (this 32 px run's sheets are saved at twice that); ×3 triples it.
    const shownWidth = () =>
      view
        .first()
        .locator('img')
        .evaluate((img) => (img as unknown as { width: number }).width);
    const cells = 6 * 32 + 7 * 2;
    await page.locator('select[name="sheetZoom"]').selectOption({ label: '×1' });
    await expect.poll(shownWidth).toBe(cells);
    await page.getByTestId('sheet-timeline').screenshot({ path: join(SHOTS, 'app-train-timeline.png') });
    await page.locator('select[name="sheetZoom"]').selectOption({ label: '×3' });
    await expect.poll(shownWidth).toBe(3 * cells);
    await page.getByRole('button', { name: 'Full size' }).click();
    const full = page.getByRole('dialog', { name: 'Sample sheets at full size' });
    await full.waitFor();
    expect(await full.getByTestId('sheet-view').count()).toBe(2);
    await full.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => full.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
