// `npm start` where the Electron binary is absent (npm skipped its download): a clear message that
// points to web mode, and a non-zero exit.
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

describe.skipIf(electronInstalled())('npm start without the Electron binary', () => {
  it('says so, points to npm run web, and exits 1', async () => {
    const result = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'main/electron/launch.ts']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Electron binary is not installed/);
    expect(result.stderr).toMatch(/npm run web/);
  });
});
