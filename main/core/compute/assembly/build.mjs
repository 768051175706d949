// Compiles the engine's own WebAssembly kernels (this folder) with AssemblyScript into ../wasm/build/, in
// four variants: for tfjs's shared (threaded build) or unshared memory, with relaxed SIMD (fused
// multiply-add) or without. Run by `npm install` (prepare) and `npm test`, which compiles nothing when
// every output is newer than every source here and was made by the installed compiler (compiler.txt
// names its version: npm gives package files a fixed old time); `--force` compiles anyway.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./', import.meta.url));
const out = fileURLToPath(new URL('../wasm/build/', import.meta.url));
mkdirSync(out, { recursive: true });

const variants = [true, false].flatMap((shared) => [true, false].map((relaxed) => ({ shared, relaxed })));
const nameOf = ({ shared, relaxed }) => `kernels${shared ? '.shared' : ''}${relaxed ? '.relaxed' : ''}.wasm`;
const mtime = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity;
const compiler = `assemblyscript ${JSON.parse(readFileSync(createRequire(import.meta.url).resolve('assemblyscript/package.json'), 'utf8')).version}\n`;
const newestSource = Math.max(...readdirSync(dir).map((f) => mtime(dir + f)));
const current =
  variants.every((v) => mtime(out + nameOf(v)) >= newestSource) &&
  (statSync(`${out}compiler.txt`, { throwIfNoEntry: false }) ? readFileSync(`${out}compiler.txt`, 'utf8') : '') === compiler;
if (current && !process.argv.includes('--force')) {
  console.log('wasm kernels: up to date');
  process.exit(0);
}

const { default: asc } = await import('assemblyscript/asc');
for (const { shared, relaxed } of variants) {
  const name = nameOf({ shared, relaxed });
  const { error, stderr } = await asc.main([
    `${dir}index.ts`,
    '--outFile', `${out}${name}`,
    '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
    // tfjs's memory: emscripten's may grow to 4 GiB, and an import must not allow more than it declares.
    '--importMemory', '--noExportMemory', '--maximumMemory', '65536',
    ...(shared ? ['--sharedMemory'] : []),
    '--enable', ['simd', ...(shared ? ['threads'] : []), ...(relaxed ? ['relaxed-simd'] : [])].join(','),
  ]);
  if (error) {
    console.error(stderr.toString());
    throw error;
  }
}
writeFileSync(`${out}compiler.txt`, compiler);
