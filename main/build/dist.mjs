// `npm run dist [-- electron-builder flags]`: builds the app and the renderer, then the installers that
// electron-builder.yml names (AppImage and deb on Linux, dmg on macOS, NSIS on Windows) in dist/packages/.
// Without flags it packages for this machine from the installed Electron, so nothing is downloaded;
// flags such as `--win` or `--mac` make electron-builder fetch Electron for that platform itself.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.mjs';
import { requireElectron } from './electron.mjs';
import { buildRenderer } from './renderer.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
requireElectron();
await bundle();
await buildRenderer();
const flags = process.argv.slice(2);
const installed = path.join(path.dirname(createRequire(import.meta.url).resolve('electron/package.json')), 'dist');
const local = flags.length === 0 ? [`--config.electronDist=${installed}`] : [];
const builder = path.join(ROOT, 'node_modules/electron-builder/cli.js');
const child = spawn(process.execPath, [builder, '--config', 'electron-builder.yml', ...local, ...flags], { cwd: ROOT, stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
