// Image prompts, walks and motion in web mode: an autoencoder and a flow run trained from the Train
// page, then the Edit page (image chosen, source prompt read by the run, strength, seed), the Walk page
// (preview playing in place, exported as strip, GIF, WebP and sprite sheet) and the Animate page (a
// still animated, two frames in-betweened). Screenshots go to test-results/e2e/.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '#main/server/start';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { buildMovingSprites } from '../fixtures/moving-sprites';
import { VIEWPORT, launch, openApp, skipReason } from './browser';

const SHOTS = join(import.meta.dirname, '../../test-results/e2e');
// A few steps keep the suite fast; the screenshots in docs/app.md come from longer runs
// (HOMEGROWN_E2E_AE_STEPS, HOMEGROWN_E2E_FLOW_STEPS, HOMEGROWN_E2E_CONFIG).
const AE_STEPS = Number(process.env.HOMEGROWN_E2E_AE_STEPS ?? 4);
const FLOW_STEPS = Number(process.env.HOMEGROWN_E2E_FLOW_STEPS ?? 4);
const TINY = {
  channels: 4,
  zDim: 8,
  embDim: 8,
  styleDim: 16,
  batch: 4,
  ...(JSON.parse(process.env.HOMEGROWN_E2E_CONFIG ?? '{}') as Record<string, number>),
};
const reason = skipReason();

describe.skipIf(reason !== null)(`edit, walk and animate in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let root: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  // From the top, so the sticky header is drawn where it belongs.
  const shot = async (name: string) => {
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(SHOTS, `app-${name}.png`), fullPage: true });
    // Nothing wider than the window.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(VIEWPORT.width);
  };
  const go = async (name: string) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
    await page.waitForURL(new RegExp(`#/${name.toLowerCase()}$`));
  };

  async function openFolder(folder: string) {
    await go('Datasets');
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Open & check' }).click();
    await page.getByText('images used').waitFor();
  }

  async function train(dataset: string, model: 'ae' | 'flow', steps: number) {
    await go('Train');
    const option = page.locator('select[name="dataset"] option', { hasText: dataset });
    await page.locator('select[name="dataset"]').selectOption((await option.getAttribute('value'))!);
    await page.locator('select[name="model"]').selectOption(model);
    await page.getByLabel('Steps', { exact: true }).fill(String(steps));
    await page.getByText('Advanced settings').click();
    const every = Math.max(2, Math.round(steps / 2));
    for (const [key, value] of Object.entries({ ...TINY, sampleEvery: every, checkpointEvery: every })) {
      await page.locator(`input[name="config.${key}"]`).fill(String(value));
    }
    await page.getByText('Advanced settings').click();
    await page.getByRole('button', { name: 'Start training' }).click();
    // The page shows the new run (not the one trained before) before its state is read.
    await page.getByRole('heading', { name: new RegExp(`· ${dataset} · ${model.toUpperCase()} 32px$`) }).waitFor();
    await expect
      .poll(() => page.getByTestId('run-state').textContent(), { timeout: Math.max(240_000, steps * 3000), interval: 1000 })
      .toBe('done');
  }

  /** Frames shown by a playing preview over a second: more than one means it plays in place. */
  async function framesShown(): Promise<Set<string>> {
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      seen.add((await page.locator('.stage').getAttribute('data-frame'))!);
      await page.waitForTimeout(120);
    }
    return seen;
  }

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    root = await mkdtemp(join(tmpdir(), 'homegrown-e2e-motion-'));
    await writeShapesDataset(join(root, 'shapes'), { size: 32, perCombo: 1, seed: 5 });
    await buildMovingSprites({ perMotion: 2, frames: 4, motions: ['left', 'right', 'up'] }, join(root, 'sprites'));
    server = await startServer({ home: join(root, 'home'), port: 0, service: { backend: 'wasm' } });
    browser = await launch();
    page = await openApp(browser, server, errors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('edits an image, walks between prompts and animates frames', { timeout: 900_000 + (AE_STEPS + FLOW_STEPS) * 3000 }, async () => {
    // Before any run, each page says which run it needs.
    await go('Animate');
    expect(await page.getByTestId('no-run').textContent()).toContain('flow run');

    await openFolder(join(root, 'shapes'));
    await openFolder(join(root, 'sprites'));
    // The frame folders are shown as sequences, and their look-alike frames are no near-duplicates.
    await expect.poll(() => page.getByTestId('sequence').count(), { timeout: 30_000 }).toBe(6);
    expect(await page.getByTestId('sequence').first().textContent()).toContain('4 frames · 32×32');
    expect(await page.getByTestId('duplicate-group').count()).toBe(0);
    await page
      .getByTestId('sequence')
      .first()
      .locator('img')
      .first()
      .evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
    await shot('datasets-sequences');
    await train('shapes', 'ae', AE_STEPS);
    await train('sprites', 'flow', FLOW_STEPS);

    // Edit: the run reads the chosen image as one of its captions; the edit arrives as an image.
    await go('Edit');
    await page.locator('input[name="editImage"]').setInputFiles(
      join(
        root,
        'shapes',
        (await readdir(join(root, 'shapes'))).find((f) => f.endsWith('.png'))!,
      ),
    );
    await expect.poll(() => page.getByLabel(/What it shows/).inputValue(), { timeout: 60_000 }).toMatch(/^(red|green|blue|yellow), \w+$/);
    await page.getByLabel(/Change it into/).fill('blue, square');
    await page.locator('input[name="strength"]').fill('0.7');
    expect(await page.getByText('Strength 0.70').count()).toBe(1);
    await page.getByLabel('Seed').fill('4');
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByTestId('edit-result').waitFor({ timeout: 60_000 });
    await page.getByTestId('edit-result').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
    expect(await page.locator('.result figcaption').last().textContent()).toContain('blue, square · strength 0.7 · seed 4');
    await shot('edit');

    // Walk: 6 frames play in place; exported as all four formats into a new folder.
    await go('Walk');
    await page.getByLabel('From').fill('red, circle');
    await page.getByLabel('To').fill('blue, square');
    await page.locator('input[name="frames"]').fill('6');
    await page.keyboard.press('Control+Enter');
    await page.locator('.stage').waitFor({ timeout: 60_000 });
    expect(await page.locator('.stage').getAttribute('aria-label')).toMatch(/of 6$/);
    expect((await framesShown()).size).toBeGreaterThan(1);
    const out = join(root, 'exports');
    await page.getByLabel('Into folder').fill(out);
    await page.getByRole('button', { name: 'All four' }).click();
    await expect.poll(() => page.getByTestId('export-done').textContent(), { timeout: 30_000 }).toMatch(/^Saved 5 files in /);
    const [walkDir] = await readdir(out);
    expect((await readdir(join(out, walkDir!))).sort()).toEqual([
      'animation.gif',
      'animation.webp',
      'sheet.json',
      'sheet.png',
      'strip.png',
    ]);
    await shot('walk');

    // Animate: a still and a motion prompt, then two frames with 2 in-betweens; each plays in place.
    await go('Animate');
    const left = join(root, 'sprites', 'left-1');
    await page.locator('input[name="firstFrame"]').setInputFiles(join(left, 'left_01.png'));
    await page.getByLabel('Motion prompt').fill('left');
    await page.locator('input[name="frames"]').fill('5');
    await page.getByRole('button', { name: 'Animate', exact: true }).click();
    await expect
      .poll(async () => (await page.locator('.stage').getAttribute('aria-label')) ?? '', { timeout: 60_000 })
      .toMatch(/^Animation: left, frame \d of 5$/);
    await page.locator('input[name="frameA"]').setInputFiles(join(left, 'left_01.png'));
    await page.locator('input[name="frameB"]').setInputFiles(join(left, 'left_04.png'));
    await page.locator('input[name="between"]').fill('2');
    await page.getByRole('button', { name: 'In-between' }).click();
    await expect
      .poll(async () => (await page.locator('.stage').getAttribute('aria-label')) ?? '', { timeout: 60_000 })
      .toMatch(/^In-betweens, frame \d of 4$/);
    await page.locator('input[name="fps"]').fill('12');
    expect((await framesShown()).size).toBeGreaterThan(1);
    await page.getByLabel('Into folder').fill(out);
    await page.getByRole('button', { name: 'GIF' }).click();
    await expect.poll(() => page.getByTestId('export-done').textContent(), { timeout: 30_000 }).toMatch(/^Saved 1 file in /);
    expect(existsSync(join(out, 'inbetween-image-4', 'animation.gif'))).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    await shot('animate');

    expect(errors).toEqual([]);
  });
});
