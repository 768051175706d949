// `npm run bench:pack [-- --out DIR]`: one self-contained folder that runs the bench (bench/run.ts) with
// one command on a bare Linux x86-64 machine with a GPU and a Vulkan loader, but no Node and no network:
//   DIR/run.sh --backend webgpu --skip-torch --out /tmp/bench.json
// It holds the bench bundled into one script with tfjs, the engine's wasm kernels and their workers,
// tfjs-backend-wasm's binaries, Dawn for linux-x64 (the `webgpu` package) and this Node binary, the last
// two compressed with xz and unpacked by run.sh on first use. The folder must stay under 60 MB.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MAX_BYTES = 60 * 1024 * 1024;
const layout = JSON.parse(readFileSync(path.join(ROOT, 'main/build/layout.json'), 'utf8'));

const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(ROOT, 'out/bench-pack') } } });
const out = path.resolve(values.out);
const app = path.join(out, 'dist/app');
const modules = path.join(ROOT, 'node_modules');

function copy(from, to) {
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
}

function xz(from, to) {
  mkdirSync(path.dirname(to), { recursive: true });
  writeFileSync(to, execFileSync('xz', ['-9', '-T0', '-c', from], { maxBuffer: 512 * 1024 * 1024 }));
}

function sizeOf(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = path.join(dir, e.name);
    return sum + (e.isDirectory() ? sizeOf(p) : statSync(p).size);
  }, 0);
}

rmSync(out, { recursive: true, force: true });
// Everything bundled but Dawn, which finds its binary beside its own index.js. The layout is the app's
// (dist/app/ under a root, main/core/files/app-root.ts), so the engine finds its kernels and workers
// as in the built app; tfjs-backend-wasm's Emscripten glue looks for its .wasm files in __dirname.
await build({
  absWorkingDir: ROOT,
  entryPoints: ['bench/pack-entry.ts'],
  outfile: path.join(app, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['webgpu'],
  // tfjs's packages mark their kernel-registering entry files side-effect free; keep every import.
  ignoreAnnotations: true,
  logLevel: 'warning',
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join('\n'),
  },
});

for (const [from, to] of Object.entries(layout.copied)) copy(path.join(ROOT, from), path.join(out, to));
const wasmPkg = path.join(modules, '@tensorflow/tfjs-backend-wasm');
for (const f of readdirSync(path.join(wasmPkg, 'dist')).filter((f) => f.endsWith('.wasm')))
  copy(path.join(wasmPkg, 'dist', f), path.join(app, f));
// The threaded build's pthread workers (main/core/compute/wasm/thread-worker.cjs) load these by package name.
for (const f of ['package.json', 'wasm-out/tfjs-backend-wasm-threaded-simd.js', 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js'])
  copy(path.join(wasmPkg, f), path.join(out, 'node_modules/@tensorflow/tfjs-backend-wasm', f));
for (const f of ['package.json', 'index.js', 'LICENSE.md']) copy(path.join(modules, 'webgpu', f), path.join(out, 'node_modules/webgpu', f));
xz(path.join(modules, 'webgpu/dist/linux-x64/dawn.node'), path.join(out, 'node_modules/webgpu/dist/linux-x64/dawn.node.xz'));
xz(process.execPath, path.join(out, 'node.xz'));
copy(path.join(ROOT, 'bench/pack-run.sh'), path.join(out, 'run.sh'));
chmodSync(path.join(out, 'run.sh'), 0o755);

const bytes = sizeOf(out);
const mb = (bytes / 1024 / 1024).toFixed(1);
if (bytes > MAX_BYTES) throw new Error(`the bench pack is ${mb} MB, over its 60 MB limit`);
console.log(
  `${path.relative(process.cwd(), out) || out}: ${mb} MB (Node ${process.version}); run ${path.join(out, 'run.sh')} --backend webgpu --skip-torch`,
);
