// Debian's chromium driven by playwright-core: never a downloaded browser. Tests skip with the reason
// when it is not installed or the renderer has not been built.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const RENDERER_INDEX = join(import.meta.dirname, '../../renderer/dist/index.html');
export const VIEWPORT = { width: 1024, height: 700 };

export function findChromium(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const file = join(dir, name);
      if (dir && existsSync(file)) return file;
    }
  }
  return null;
}

/** Why the browser tests cannot run here, or null when they can. */
export function skipReason(): string | null {
  if (!findChromium()) return 'chromium is not on PATH (Debian: apt-get install chromium)';
  if (!existsSync(RENDERER_INDEX)) return 'the renderer is not built (npm run build:renderer; npm test does it first)';
  return null;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium()!,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * The app in a new page at the e2e viewport, opened with the server's token. Page errors and console
 * errors go into `errors`: a CSP violation (e.g. an eval probe) or a missing file shows up as a console
 * error, while an API call answered with an error (shown on the page) is expected in these tests.
 */
export async function openApp(browser: Browser, server: { url: string; token: string }, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !m.location().url.includes('/api/') && errors.push(`${m.text()} ${m.location().url}`));
  await page.goto(`${server.url}/?token=${server.token}`);
  return page;
}
