// Vitest's global setup: the tests that spawn the `homegrown` command run the built bin/homegrown.js,
// as a user does, so dist/app/ must match the sources. `npm test` has just built it; a test file run
// on its own after an edit gets it rebuilt here (esbuild, a few seconds).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import layout from '../main/build/layout.json';

const BUILT = path.join(layout.outDir, 'homegrown.js');

/** The newest modification time among the files the bundle is made from. */
function newestSource(): number {
  const files = ['package.json'];
  for (const dir of ['main', 'shared'])
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) files.push(path.join(dir, f));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

export function setup(): void {
  let built = 0;
  try {
    built = statSync(BUILT).mtimeMs;
  } catch {}
  if (built < newestSource()) execFileSync(process.execPath, ['main/build/bundle.mjs'], { stdio: 'inherit' });
}
