// `npm start`: bundles the preload (a sandboxed preload must be one CommonJS file) and opens the
// desktop app. The Electron binary is downloaded by electron's install script, which npm skips unless
// allowed; where it is absent this says so, points to web mode, and exits non-zero.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  process.stderr.write(
    'The Electron binary is not installed on this machine (npm skips the download unless electron is allowed to run its install script).\n' +
      'Use the same app in a browser instead:  npm run web\n' +
      'or fetch Electron first:  node node_modules/electron/install.js\n',
  );
  process.exit(1);
}

const { build } = await import('vite');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/electron', import.meta.url)),
    emptyOutDir: false,
    lib: { entry: fileURLToPath(new URL('./preload.ts', import.meta.url)), formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
const child = spawn(binary, [fileURLToPath(new URL('./bootstrap.mjs', import.meta.url))], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
