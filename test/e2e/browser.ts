// Debian's chromium driven by playwright-core: never a downloaded browser. Tests skip with the reason
// when it is not installed or the renderer has not been built.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

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
