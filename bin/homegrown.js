#!/usr/bin/env node
// The `homegrown` command: runs the CLI bundled by `npm run build` (npm install runs it too).
import { existsSync } from 'node:fs';

const built = new URL('../dist/app/homegrown.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('homegrown: the app is not built yet; run npm run build (npm install does it)\n');
  process.exit(1);
}
await import(built.href);
