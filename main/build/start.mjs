// `npm start`: builds the app (and the renderer, if it has never been built) and opens it in Electron.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';
import { requireElectron } from './electron.mjs';
import { buildRenderer } from './renderer.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const binary = requireElectron();
await bundle();
if (!existsSync(path.join(ROOT, 'renderer/dist/index.html'))) await buildRenderer();
// Electron opens package.json's "main": the bundled main process in dist/app/.
const child = spawn(binary, [ROOT], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
