// "Add run folder…" on the Train page in web mode: a run folder trained outside the app (2 steps of a
// tiny 32 px GAN, as `homegrown train --out` leaves one) joins the run list with its checkpoints; a
// folder that is no run is refused in the app's words.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { TrainingSession } from '#core/runs/session';
import { startServer, type RunningServer } from '#main/server/start';
import { shapesFolder, TINY_RUN } from '#test/fixtures/app-service';
import { VIEWPORT, launch, skipReason } from './browser';

const SHOTS = join(import.meta.dirname, '../../test-results/e2e');
const reason = skipReason();

describe.skipIf(reason !== null)(`Add run folder… in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let root: string;
  let data: string;
  let runDir: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    root = await mkdtemp(join(tmpdir(), 'homegrown-e2e-runfolder-'));
    data = await shapesFolder(join(root, 'shapes'));
    await initBackend({ force: 'wasm' });
    const session = await TrainingSession.create({
      dataset: data,
      out: join(root, 'elsewhere'),
      config: { ...TINY_RUN, size: 32, steps: 2, sampleEvery: 2, checkpointEvery: 1 },
      backend: 'wasm',
    });
    await session.train(2);
    session.dispose();
    runDir = session.runDir;
    server = await startServer({ home: join(root, 'home'), port: 0, service: { backend: 'wasm' } });
    browser = await launch();
    page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${server.url}/?token=${server.token}#/train`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('refuses a folder that is no run, then adds a run folder and shows it', { timeout: 120_000 }, async () => {
    await expect.poll(() => page.getByText('No runs yet.').count()).toBe(1);
    await page.getByRole('button', { name: 'Add run folder…' }).click();
    await page.getByLabel('Run folder').fill(data);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const error = page.getByRole('alert').filter({ hasText: 'not a Homegrown run folder' });
    await expect.poll(() => error.textContent()).toContain('choose the folder that training made');
    expect(await error.textContent()).not.toMatch(/--|homegrown /);

    await page.getByLabel('Run folder').fill(runDir);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.locator('aside li').first().textContent()).toMatch(/#1 shapes.*gan 32px · 2\/2/);
    await expect.poll(() => page.getByRole('heading', { name: /^Run #1/ }).textContent()).toBe('Run #1 · shapes · GAN 32px');
    await expect.poll(() => page.getByTestId('run-step').textContent()).toBe('2');
    await expect.poll(() => page.getByRole('button', { name: 'Add run folder…' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'app-add-run-folder.png'), fullPage: true });
  });
});
