// Finding the app's own files from the sources (as here, under vitest); from the bundle the same rule
// is exercised by test/unit/main/build/bundle.test.ts, which runs the built command and worker.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPath, FROM_SOURCE, runtimeEntry, unpacked } from '#core/files/app-root';

describe('app-root', () => {
  it('finds the repository root from the sources', () => {
    expect(FROM_SOURCE).toBe(true);
    expect(appPath('package.json')).toBe(path.resolve('package.json'));
    expect((JSON.parse(readFileSync(appPath('package.json'), 'utf8')) as { name: string }).name).toBe('homegrown');
  });

  it('picks the TypeScript source of an entry in development', () => {
    const worker = runtimeEntry('main/core/jobs/training-worker.ts', 'dist/app/training-worker.js');
    expect(worker).toBe(path.resolve('main/core/jobs/training-worker.ts'));
    expect(existsSync(worker)).toBe(true);
  });

  it("moves a path inside Electron's app.asar to the unpacked folder beside it, and leaves others alone", () => {
    expect(unpacked('/opt/Homegrown/resources/app.asar/dist/app/wasm/worker.cjs')).toBe(
      '/opt/Homegrown/resources/app.asar.unpacked/dist/app/wasm/worker.cjs',
    );
    expect(unpacked('C:\\Homegrown\\resources\\app.asar\\dist\\app\\wasm\\worker.cjs')).toBe(
      'C:\\Homegrown\\resources\\app.asar.unpacked\\dist\\app\\wasm\\worker.cjs',
    );
    expect(unpacked('/home/me/app.asar-notes/worker.cjs')).toBe('/home/me/app.asar-notes/worker.cjs');
    expect(unpacked('/work/homegrown/dist/app/wasm/worker.cjs')).toBe('/work/homegrown/dist/app/wasm/worker.cjs');
  });
});
