// The real path through the app in web mode: a generated dataset folder, the Doctor's report, a few
// training steps at 32 px, 4 images from a prompt, the gallery with filters and details, reuse of a
// recipe, a rating, an export (files and a sprite sheet), and the recipe restored from the exported
// file. Screenshots of each page go to test-results/e2e/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pMap from 'p-map';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '#main/server/start';
import { buildAppDataset } from '../fixtures/app-dataset';
import { launch, openApp, skipReason } from './browser';

const SHOTS = join(import.meta.dirname, '../../test-results/e2e');
// A tiny GAN for ~20 steps keeps the suite fast. The screenshots in docs/app.md come from a longer run:
// HOMEGROWN_E2E_MODEL=vae HOMEGROWN_E2E_STEPS=500 HOMEGROWN_E2E_CONFIG='{"channels":16,…}'.
const STEPS = Number(process.env.HOMEGROWN_E2E_STEPS ?? 20);
const MODEL = process.env.HOMEGROWN_E2E_MODEL ?? 'gan';
const EVERY = Math.max(5, Math.round(STEPS / 4));
const TINY = {
  channels: 4,
  zDim: 8,
  embDim: 8,
  styleDim: 16,
  batch: 4,
  sampleEvery: EVERY,
  checkpointEvery: EVERY,
  ...(JSON.parse(process.env.HOMEGROWN_E2E_CONFIG ?? '{}') as Record<string, number>),
};
const reason = skipReason();

describe.skipIf(reason !== null)(`the app in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let home: string;
  let dataset: Awaited<ReturnType<typeof buildAppDataset>>;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `app-${name}.png`), fullPage: true });
  const go = async (name: string, route = name.toLowerCase()) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
    await page.waitForURL(new RegExp(`#/${route}$`));
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    home = await mkdtemp(join(tmpdir(), 'homegrown-e2e-'));
    dataset = await buildAppDataset();
    server = await startServer({ home, port: 0, service: { backend: 'wasm' } });
    browser = await launch();
    page = await openApp(browser, server, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dataset?.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('walks from a folder to an exported image', { timeout: 600_000 + STEPS * 2000 }, async () => {
    // The landing URL traded the token for a cookie and left the address bar clean.
    expect(page.url()).not.toContain('token');
    await expect.poll(() => page.locator('header .status').textContent()).toContain('web');

    // Datasets: a path that is not a folder is explained, then the real folder is checked.
    await page.getByLabel('Folder path').fill(join(dataset.root, 'red-circle-0.png'));
    await page.getByRole('button', { name: 'Open & check' }).click();
    await expect.poll(() => page.locator('.error').first().textContent()).toMatch(/folder/i);
    await page.getByLabel('Folder path').fill(dataset.root);
    await page.getByRole('button', { name: 'Open & check' }).click();
    await page.getByText('images used').waitFor();
    expect(await page.locator('.counts .ok b').textContent()).toBe(String(dataset.images));
    expect(await page.locator('table').first().textContent()).toContain('empty.png');
    expect(await page.locator('table').first().textContent()).toContain('notes.jpg');
    // The exact copy is one near-duplicate group, named file by file.
    expect(await page.getByTestId('duplicate-group').count()).toBe(1);
    expect(await page.getByTestId('duplicate-group').textContent()).toContain('red-circle-copy.png');
    expect(await page.locator('.vocab').textContent()).toContain('circle');
    await page
      .locator('figure img')
      .first()
      .evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
    await shot('datasets');

    // Train: a tiny GAN; progress arrives as events until the run is done.
    await go('Train');
    await page.locator('select[name="model"]').selectOption(MODEL);
    await page.getByLabel('Steps', { exact: true }).fill(String(STEPS));
    // The form keeps its fields through a visit to another page.
    await go('History');
    await go('Train');
    expect(await page.getByLabel('Steps', { exact: true }).inputValue()).toBe(String(STEPS));
    expect(await page.locator('select[name="model"]').inputValue()).toBe(MODEL);
    await page.getByText('Advanced settings').click();
    expect(await page.locator('label:has(input[name="config.emaBeta"])').getAttribute('title')).toContain('emaBeta');
    expect(await page.locator('label:has(input[name="config.emaBeta"])').textContent()).toContain('Smoothing of results');
    for (const [key, value] of Object.entries(TINY)) await page.locator(`input[name="config.${key}"]`).fill(String(value));
    await page.getByText('Advanced settings').click();
    await page.getByRole('button', { name: 'Start training' }).click();
    const step = page.getByTestId('run-step');
    await expect.poll(async () => Number(await step.textContent()), { timeout: 180_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('run-state').textContent(), { timeout: Math.max(300_000, STEPS * 2000), interval: 1000 })
      .toBe('done');
    expect(Number(await step.textContent())).toBe(STEPS);
    expect(await page.getByTestId('run-device').locator('..').textContent()).toMatch(/images\/s on CPU/);
    await page.locator('.timeline button').first().waitFor();
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    await shot('train');

    // Generate: the form says what it will make before generating.
    await go('Generate');
    await page.getByLabel('Prompt', { exact: true }).fill('{red|blue}, circel');
    await expect.poll(() => page.getByTestId('wildcard-note').count()).toBe(1);
    // The misspelt word is offered as a button under the prompt it belongs to.
    await page.getByTestId('prompt-unknown').getByRole('button', { name: 'circle' }).click();
    expect(await page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('{red|blue}, circle');
    await page.locator('select[name="seedMode"]').selectOption('fixed');
    await page.getByLabel('Seed value').fill('100');
    await page.getByLabel('Count').fill('3');
    await expect.poll(() => page.getByTestId('seed-note').textContent()).toContain('seeds 100–102');
    await page.locator('select[name="mode"]').selectOption('grid');
    await page.locator('select[name="xKind"]').selectOption('checkpoint');
    await page.locator('input[name="xValues"]').fill(`1-${STEPS}`);
    await page.locator('select[name="yKind"]').selectOption('prompt');
    await page.locator('input[name="yValues"]').fill('red,green');
    await expect
      .poll(() => page.getByTestId('plan-total').textContent(), { timeout: 20_000 })
      .toBe(`Makes ${4 * 2 * 3} images (a 4×2 grid × 3 each)`);
    await page.locator('input[name="xValues"]').fill('7');
    await expect
      .poll(() => page.getByTestId('plan-error').textContent(), { timeout: 20_000 })
      .toMatch(/^No checkpoint at step 7; this run has checkpoints at steps/);
    await page.locator('select[name="mode"]').selectOption('single');

    // 4 images from a prompt; they appear as they are made.
    await page.getByLabel('Prompt', { exact: true }).fill('red, (circle:1.2)');
    await page.locator('select[name="seedMode"]').selectOption('increment');
    await page.getByLabel('Seed value').fill('100');
    await page.getByLabel('Count').fill('4');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => page.locator('.results figure img').count(), { timeout: 120_000 }).toBe(4);
    await shot('generate');

    // Gallery: the 4 images, a filter that keeps them and one that does not, details, a rating.
    await go('Gallery');
    const tiles = page.locator('.tile');
    await expect.poll(() => tiles.count()).toBe(4);
    await page.getByLabel('Prompt words').fill('blue');
    await expect.poll(() => tiles.count()).toBe(0);
    await page.getByLabel('Prompt words').fill('circle');
    await expect.poll(() => tiles.count()).toBe(4);
    await tiles.first().click();
    const detail = page.getByRole('dialog', { name: /^Image \d+$/ });
    await detail.waitFor();
    expect(await detail.textContent()).toContain('red, (circle:1.2)');
    await detail.getByRole('button', { name: '4 stars' }).click();
    await expect.poll(() => detail.getByRole('button', { name: '4 stars' }).getAttribute('aria-pressed')).toBe('true');
    await shot('gallery');
    await page.locator('select[name="minRating"]').selectOption({ label: '★★★★+' });
    await expect.poll(() => tiles.count()).toBe(1);
    const seed = (await detail.textContent())!.match(/Seed(\d+)/)![1];

    // Use this recipe: prompt, seed and checkpoint are back on the Generate page.
    await detail.getByRole('button', { name: 'Use this recipe' }).click();
    await page.waitForURL(/#\/generate$/);
    expect(await page.getByLabel('Prompt', { exact: true }).inputValue()).toBe('red, (circle:1.2)');
    expect(await page.getByLabel('Seed value').inputValue()).toBe(seed);

    // History and presets.
    await go('History');
    await page.getByRole('cell', { name: 'red, (circle:1.2)' }).first().waitFor();
    await shot('history');
    await go('Styles', 'presets');
    await page.getByRole('button', { name: 'New style' }).click();
    await page.getByLabel('Name').fill('flat icon');
    await page.getByLabel(/Prompt template/).fill('{prompt}, simple, flat');
    await page.getByLabel('Negative').fill('noisy');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'flat icon' }).waitFor();
    await shot('presets');

    // Export the rated image to a folder.
    await go('Gallery');
    await page.locator('select[name="minRating"]').selectOption({ label: '★★★★+' });
    await expect.poll(() => tiles.count()).toBe(1);
    await tiles.first().click();
    await detail.getByRole('button', { name: 'Export…' }).click();
    const out = join(home, 'exported');
    await page.getByLabel('To folder').fill(out);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByText(/Exported 1 image/).waitFor({ timeout: 60_000 });
    await shot('export');
    const written = existsSync(out) ? await readdir(out) : [];
    expect(written.filter((f) => f.endsWith('.png'))).toHaveLength(1);
    expect(written).toContain('manifest.json');
    // Exporting into the same, now non-empty, folder is refused unless asked to replace.
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(() => page.getByRole('dialog', { name: 'Export' }).getByRole('alert').textContent())
      .toMatch(/empty|exist|overwrite/i);

    // The same image as a sprite sheet: array atlas, pixels upscaled ×2.
    const exportDialog = page.getByRole('dialog', { name: 'Export' });
    await exportDialog.getByLabel('sprite sheet + atlas').check();
    const sheet = join(home, 'sheets', 'sprites.png');
    await exportDialog.getByLabel('Sheet file').fill(sheet);
    await exportDialog.locator('select[name="atlas"]').selectOption('array');
    await exportDialog.locator('select[name="upscale"]').selectOption({ label: '×2' });
    await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
    await exportDialog.getByText(/Sprite sheet of 1 frame/).waitFor({ timeout: 60_000 });
    await shot('export-sheet');
    const atlas = JSON.parse(await readFile(sheet.replace(/\.png$/, '.json'), 'utf8')) as { frames: { frame: { w: number } }[] };
    expect(atlas.frames.map((f) => f.frame.w)).toEqual([64]);
    await exportDialog.getByRole('button', { name: 'Close' }).click();

    // Generate restores the recipe of the exported PNG, chosen with the file input or dropped on the form.
    const exportedPng = join(
      out,
      written.find((f) => f.endsWith('.png'))!,
    );
    await go('Generate');
    const promptBox = page.getByLabel('Prompt', { exact: true });
    await promptBox.fill('blue');
    await page.getByLabel('Restore a recipe from an image').setInputFiles(exportedPng);
    await expect.poll(() => page.getByTestId('restored').textContent()).toMatch(new RegExp(`seed ${seed}`));
    expect(await promptBox.inputValue()).toBe('red, (circle:1.2)');
    expect(await page.getByLabel('Seed value').inputValue()).toBe(seed);
    await promptBox.fill('blue');
    const dropped = await page.evaluateHandle(
      (b64) => {
        // Runs in the page (this file is compiled without the DOM library).
        const w = globalThis as unknown as {
          DataTransfer: new () => { items: { add(f: unknown): void } };
          File: new (parts: Uint8Array[], name: string, o: { type: string }) => unknown;
        };
        const data = new w.DataTransfer();
        data.items.add(new w.File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'dropped.png', { type: 'image/png' }));
        return data;
      },
      (await readFile(exportedPng)).toString('base64'),
    );
    await page.getByRole('form', { name: 'Generate' }).dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(() => page.getByTestId('restored').textContent()).toMatch(/^Recipe from dropped\.png/);
    expect(await promptBox.inputValue()).toBe('red, (circle:1.2)');
    // A file without a recipe is explained.
    await page.getByLabel('Restore a recipe from an image').setInputFiles(join(dataset.root, 'red-circle-0.png'));
    await expect.poll(() => page.getByTestId('restored').textContent()).toBe('red-circle-0.png carries no Homegrown recipe');
    await shot('generate-restore');

    expect(errors).toEqual([]);
  });

  it('keeps the Datasets page in shape with 400 and 5000 images', { timeout: 600_000 }, async () => {
    // The folders stay until the end: the page may still ask for the thumbnails of the first.
    const roots: string[] = [];
    try {
      for (const count of [400, 5000]) {
        const root = await mkdtemp(join(tmpdir(), `homegrown-layout-${count}-`));
        roots.push(root);
        // Tiny distinct PNGs with long names, as a real sprite folder has; several encoded at a time.
        await pMap(
          Array.from({ length: count }, (_, i) => i),
          async (i) => {
            const png = await sharp({
              create: { width: 8, height: 8, channels: 4, background: { r: i % 256, g: (i >> 8) * 40, b: 90, alpha: i % 3 ? 1 : 0.5 } },
            })
              .png()
              .toBuffer();
            await writeFile(join(root, `unit-${String(i).padStart(5, '0')}-with-a-rather-long-file-name-from-an-exporter.png`), png);
          },
          { concurrency: 8 },
        );
        await go('Datasets');
        await page.getByLabel('Folder path').fill(`"${root}"`);
        await page.getByRole('button', { name: 'Open & check' }).click();
        await expect.poll(() => page.locator('.counts .ok b').textContent(), { timeout: 300_000, interval: 1000 }).toBe(String(count));
        const box = await page.evaluate(() => {
          const d = (
            globalThis as unknown as {
              document: {
                documentElement: { scrollWidth: number; scrollHeight: number; clientWidth: number };
                querySelectorAll(s: string): { length: number };
              };
            }
          ).document;
          return {
            width: d.documentElement.scrollWidth,
            client: d.documentElement.clientWidth,
            height: d.documentElement.scrollHeight,
            editors: d.querySelectorAll('[data-testid="dataset-images"] figure').length,
          };
        });
        // Nothing wider than the window, no page kilometres long, and only the rows on screen built.
        expect(box.width).toBeLessThanOrEqual(box.client);
        expect(box.height).toBeLessThan(3000);
        expect(box.editors).toBeLessThan(100);
        expect(box.editors).toBeGreaterThan(0);
        await shot(`datasets-${count}`);
      }
    } finally {
      for (const root of roots) await rm(root, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
  });
});
