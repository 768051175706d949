// Compiles the engine's own WebAssembly kernels (this folder) with AssemblyScript into ../wasm/build/, in
// four variants: for tfjs's shared (threaded build) or unshared memory, with relaxed SIMD (fused
// multiply-add) or without. Run by `npm install` (prepare) and `npm test`.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const dir = fileURLToPath(new URL('./', import.meta.url));
const out = fileURLToPath(new URL('../wasm/build/', import.meta.url));
mkdirSync(out, { recursive: true });

for (const shared of [true, false]) {
  for (const relaxed of [true, false]) {
    const name = `kernels${shared ? '.shared' : ''}${relaxed ? '.relaxed' : ''}.wasm`;
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
}
