// `npm start` and `npm run dist` where the Electron binary is absent (npm skipped its download, as here):
// each stops at once with one line that says so and what to do, and exits 1.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

function electronInstalled(): boolean {
  try {
    createRequire(import.meta.url)('electron');
    return true;
  } catch {
    return false;
  }
}

const run = (script: string) =>
  promisify(execFile)(process.execPath, [script]).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );

describe.skipIf(electronInstalled())('without the Electron binary', () => {
  it.each(['main/build/start.mjs', 'main/build/dist.mjs'])('%s says so in one line and exits 1', async (script) => {
    const { code, stderr } = await run(script);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^homegrown: the Electron binary is not installed \(npm skips its download\); .*node node_modules\/electron\/install\.js.*npm run web`\n$/,
    );
    expect(stderr.split('\n')).toHaveLength(2);
  });
});
