// Web mode's "Browse…" on the Datasets page: the server lists the folders inside the user's home (hidden
// ones left out), never climbs above it nor follows a link out of it, and its answer needs the token
// like every other call. A folder chosen this way is opened and checked.
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '#main/server/start';
import { shapesFolder } from '#test/fixtures/app-service';
import { launch, openApp, skipReason } from './browser';

const reason = skipReason();

describe.skipIf(reason !== null)(`the web folder browser in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let root: string;
  let userHome: string;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const realHome = process.env['HOME'];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'homegrown-e2e-browse-'));
    // The browser keeps the real home; the server, in this process, sees a home made for the test.
    browser = await launch();
    userHome = await realpath(await mkdtemp(join(root, 'user-')));
    await shapesFolder(join(userHome, 'art', 'sprites'));
    await mkdir(join(userHome, '.secret'));
    await mkdir(join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(userHome, 'outside'));
    process.env['HOME'] = userHome;
    server = await startServer({ home: join(root, 'app'), port: 0, service: { backend: 'wasm' } });
    page = await openApp(browser, server, errors);
  });

  afterAll(async () => {
    process.env['HOME'] = realHome;
    await browser?.close();
    await server?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('browses inside the home folder only and opens the folder chosen', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Browse…' }).click();
    const picker = page.getByRole('group', { name: 'Choose a folder' });
    const entries = () => picker.getByRole('listitem').allTextContents();
    await expect.poll(() => picker.locator('.where').textContent()).toBe(userHome);
    expect(await entries()).toEqual(['📁 art', '📁 outside']);

    // A link out of the home folder is listed but cannot be entered.
    await picker.getByRole('button', { name: '📁 outside' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Only folders inside your home folder/);
    expect(await picker.locator('.where').textContent()).toBe(userHome);

    await picker.getByRole('button', { name: '📁 art' }).click();
    await expect.poll(() => picker.locator('.where').textContent()).toBe(join(userHome, 'art'));
    expect(await entries()).toEqual(['↑ up', '📁 sprites']);
    await picker.getByRole('button', { name: '📁 sprites' }).click();
    await expect.poll(entries).toEqual(['↑ up', 'No folders inside.']);
    await picker.getByRole('button', { name: 'Use this folder' }).click();
    expect(await picker.count()).toBe(0);
    await page.getByText('images used').waitFor({ timeout: 60_000 });
    expect(await page.getByLabel('Folder path').inputValue()).toBe(join(userHome, 'art', 'sprites'));
    expect(await server.service.call('datasets.list', {})).toMatchObject([{ root: join(userHome, 'art', 'sprites'), imageCount: 16 }]);
    expect(errors).toEqual([]);
  });

  it('answers only with the token, and never about a folder outside the home folder', async () => {
    const browse = (folder: string, token?: string) =>
      fetch(`${server.url}/api/app.browseFolder`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ folder }),
      });
    expect((await browse('~/art')).status).toBe(401);
    const inside = await browse('~/art', server.token);
    expect(await inside.json()).toEqual({ folder: join(userHome, 'art'), parent: userHome, folders: ['sprites'] });
    for (const outside of ['/etc', `${userHome}/..`, '~/outside']) {
      const refused = await browse(outside, server.token);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(/^Only folders inside your home folder/);
    }
  });
});
