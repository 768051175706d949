// `npm run build`: bundles our TypeScript (the CLI with the server it starts, the training worker, the
// Electron main process and preload) into dist/app/ with esbuild, and copies the files used as they are
// (the wasm kernels and their worker scripts). Where things go is in layout.json, which also lists every
// file the app opens by path at run time ("thread": loaded by a worker thread, so it must lie outside
// Electron's app.asar); electron-builder.yml's test checks the package against that list.
// npm packages stay external: they load from node_modules as in development, so the files they find
// beside themselves stay where they look. Every module lands flat in dist/app/, the rule
// main/core/files/app-root.ts relies on to find the app's root.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const layout = JSON.parse(await readFile(new URL('./layout.json', import.meta.url), 'utf8'));
/** esbuild's account of the ES modules (what imports what), for the start-up test. */
export const METAFILE = 'dist/bundle-meta.json';

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  external: ['electron'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

export async function bundle() {
  await rm(path.join(ROOT, layout.outDir), { recursive: true, force: true });
  const [modules] = await Promise.all([
    // Chunks shared by the entries, and one per lazily imported command, so `--version` loads only
    // what it needs.
    build({ ...common, entryPoints: layout.entries, outdir: layout.outDir, format: 'esm', splitting: true, chunkNames: 'chunk-[hash]', metafile: true }),
    // A sandboxed preload must be one CommonJS file.
    build({ ...common, entryPoints: [layout.preload.source], outfile: layout.preload.out, format: 'cjs' }),
    ...Object.entries(layout.copied).map(async ([from, to]) => {
      await mkdir(path.join(ROOT, path.dirname(to)), { recursive: true });
      await copyFile(path.join(ROOT, from), path.join(ROOT, to)).catch((e) => {
        throw e.code === 'ENOENT' && from.endsWith('.wasm') ? new Error(`${from} is missing: run npm run build:kernels first`) : e;
      });
    }),
  ]);
  await writeFile(path.join(ROOT, METAFILE), JSON.stringify(modules.metafile));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
