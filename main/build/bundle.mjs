// `npm run build`: bundles our TypeScript (the CLI with the server it starts, the training worker, the
// Electron main process and preload) into dist/app/ with esbuild, and copies the files used as they are
// (the wasm kernels and their worker scripts). Where things go is in layout.json, which also lists every
// file the app opens by path at run time ("thread": loaded by a worker thread, so it must lie outside
// Electron's app.asar); electron-builder.yml's test checks the package against that list.
// npm packages stay external: they load from node_modules as in development, so the files they find
// beside themselves stay where they look. Every module lands flat in dist/app/, the rule
// main/core/files/app-root.ts relies on to find the app's root.
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const layout = JSON.parse(await readFile(new URL('./layout.json', import.meta.url), 'utf8'));

/** True when Node's require() loads `pkg` (CommonJS), false for an ES-module-only package. */
function isCommonJs(pkg) {
  let file;
  try {
    file = createRequire(path.join(ROOT, 'package.json')).resolve(pkg);
  } catch {
    return false;
  }
  if (file.endsWith('.cjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).type !== 'module';
    } catch {}
  }
  return true;
}

/**
 * CommonJS packages loaded with require() rather than import: Node's import of CommonJS scans each
 * file (and each one it requires) for export names, which took most of `homegrown info`'s start-up
 * (about 2 of 6 s here, in @tensorflow/tfjs). Each chunk gets a `require` of its own (the banner).
 */
const requireCommonJs = {
  name: 'require-commonjs',
  setup(build) {
    build.onResolve({ filter: /^[^./#]/ }, (args) => {
      if (args.path.startsWith('node:') || args.path === 'electron') return { path: args.path, external: true };
      // A dynamic import() stays Node's: bundled, it became a chunk with a default export only, and the
      // named exports (tfjs-backend-webgpu's WebGPUBackend) were lost. It runs only when used.
      if (args.kind === 'require-call' || args.kind === 'dynamic-import' || !isCommonJs(args.path))
        return { path: args.path, external: true };
      return { path: args.path, namespace: 'require-commonjs' };
    });
    build.onLoad({ filter: /.*/, namespace: 'require-commonjs' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
const REQUIRE_BANNER = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

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
  await Promise.all([
    // Chunks shared by the entries, and one per lazily imported command, so `--version` loads only
    // what it needs.
    build({
      ...common,
      entryPoints: layout.entries,
      outdir: layout.outDir,
      format: 'esm',
      splitting: true,
      chunkNames: 'chunk-[hash]',
      plugins: [requireCommonJs],
      banner: { js: REQUIRE_BANNER },
    }),
    // A sandboxed preload must be one CommonJS file.
    build({ ...common, entryPoints: [layout.preload.source], outfile: layout.preload.out, format: 'cjs' }),
    ...Object.entries(layout.copied).map(async ([from, to]) => {
      await mkdir(path.join(ROOT, path.dirname(to)), { recursive: true });
      await copyFile(path.join(ROOT, from), path.join(ROOT, to)).catch((e) => {
        throw e.code === 'ENOENT' && from.endsWith('.wasm') ? new Error(`${from} is missing: run npm run build:kernels first`) : e;
      });
    }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
