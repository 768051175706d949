// Bad input and a server crash during training: the UI says what is wrong and recovers. The server
// runs in its own process group, killed with SIGKILL (jobs too) and started again on the same port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppDataset } from '../fixtures/app-dataset';
import { VIEWPORT, launch, skipReason } from './browser';

const SHOTS = join(import.meta.dirname, '../../test-results/e2e');
const TOKEN = 'e2e-recovery-token-0123456789abcdef';
const TINY = { channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 5, checkpointEvery: 5 };
const reason = skipReason();

function serve(home: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve-child.ts')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HOMEGROWN_E2E_HOME: home, HOMEGROWN_E2E_PORT: String(port), HOMEGROWN_E2E_TOKEN: TOKEN },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const url = /listening (\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** SIGKILL the server and its training jobs at once, as a crash or power cut would. */
function crash(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    process.kill(-child.pid!, 'SIGKILL');
  });
}

describe.skipIf(reason !== null)(`recovery in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let home: string;
  let empty: string;
  let dataset: Awaited<ReturnType<typeof buildAppDataset>>;
  let server: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;

  const api = (method: string, input: unknown) =>
    fetch(`${server.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(input),
    }).then((r) => r.json() as Promise<unknown>);

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    home = await mkdtemp(join(tmpdir(), 'homegrown-e2e-rec-'));
    empty = await mkdtemp(join(tmpdir(), 'homegrown-e2e-empty-'));
    dataset = await buildAppDataset(1);
    server = await serve(home, 0);
    browser = await launch();
    page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${server.url}/?token=${TOKEN}`);
  });

  afterAll(async () => {
    await browser?.close();
    if (server?.child.exitCode === null) await crash(server.child);
    await dataset?.cleanup();
    for (const dir of [home, empty]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('explains a folder without images', async () => {
    await page.getByLabel('Folder path').fill(empty);
    await page.getByRole('button', { name: 'Open & check' }).click();
    await expect.poll(() => page.locator('.error').first().textContent()).toMatch(/no images|no usable images|nothing/i);
  });

  it('shows the lost connection, reconnects after a crash and offers the interrupted run for resume', { timeout: 300_000 }, async () => {
    const report = (await api('datasets.open', { folder: dataset.root })) as { dataset: { id: number } };
    await api('runs.start', { datasetId: report.dataset.id, model: 'gan', size: 32, steps: 100_000, config: TINY });
    await page.goto(`${server.url}/#/train`);
    const step = page.getByTestId('run-step');
    await expect.poll(async () => Number(await step.textContent()), { timeout: 120_000 }).toBeGreaterThan(12);

    const port = Number(new URL(server.url).port);
    await crash(server.child);
    const banner = page.getByRole('alert').filter({ hasText: 'Connection to Homegrown lost' });
    await banner.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'app-reconnect.png') });

    server = await serve(home, port);
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    const offer = page.locator('.resume').filter({ hasText: /Run #1 .* stopped at step \d+/ });
    await offer.waitFor({ timeout: 30_000 });
    await offer.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('running');
    // Stop asks first, and a run stopped before its steps is shown as stopped, not done.
    await page.getByRole('button', { name: 'Stop…' }).click();
    await page.getByRole('button', { name: 'Yes, stop' }).click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('stopped');
  });
});
