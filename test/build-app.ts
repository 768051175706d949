// Vitest's global setup: the tests that spawn the `homegrown` command run the built bin/homegrown.js,
// as a user does, and the browser tests load the built renderer, so dist/app/ and renderer/dist/ must
// match the sources. `npm test` has just built both; a test file run on its own after an edit gets
// them rebuilt here (esbuild, a few seconds; Vite, some more).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import layout from '../main/build/layout.json';

const builds = [
  { built: path.join(layout.outDir, 'homegrown.js'), sources: ['main', 'shared'], command: ['main/build/bundle.mjs'] },
  {
    built: 'renderer/dist/index.html',
    sources: ['renderer', 'shared'],
    command: ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts'],
  },
];

/** The newest modification time among the files a build is made from (its own output aside). */
function newestSource(dirs: string[]): number {
  const files = ['package.json'];
  for (const dir of dirs)
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (!f.startsWith('dist')) files.push(path.join(dir, f));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

export function setup(): void {
  for (const { built, sources, command } of builds) {
    let at = 0;
    try {
      at = statSync(built).mtimeMs;
    } catch {}
    if (at < newestSource(sources)) execFileSync(process.execPath, command, { stdio: 'inherit' });
  }
}
