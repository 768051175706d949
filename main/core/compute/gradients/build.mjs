// Bundles tfjs-core's stock gradient functions (its ESM `register_all_gradients`) into one self-contained
// file, ../build/stock-gradients.js, which compute/tf.ts imports. They ship registered only inside the
// @tensorflow/tfjs bundle, whose loading (tfjs-layers, -converter, -data and -webgl with it) was 0.4 s of
// every engine command's start-up; this file registers the same 101 gradients in about 15 ms. The copy of
// tfjs-core code inside it shares the one engine and registries (tfjs keeps them on the global object),
// as the @tensorflow/tfjs bundle's own copy does. Run by `npm install` (prepare) and `npm test`, which
// builds nothing when the file is newer than this script and names the installed tfjs-core version
// (npm gives package files a fixed old time, so a version is what tells an upgrade); `--force` builds.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const coreJson = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json');
const stamp = `// @tensorflow/tfjs-core ${JSON.parse(readFileSync(coreJson, 'utf8')).version}`;
const outfile = fileURLToPath(new URL('../build/stock-gradients.js', import.meta.url));
const built = statSync(outfile, { throwIfNoEntry: false });
if (
  !process.argv.includes('--force') &&
  built &&
  built.mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs &&
  readFileSync(outfile, 'utf8').startsWith(`${stamp}\n`)
) {
  console.log('stock gradients: up to date');
  process.exit(0);
}
const { build } = await import('esbuild');
await build({
  entryPoints: [path.join(path.dirname(coreJson), 'dist', 'register_all_gradients.js')],
  outfile,
  banner: { js: stamp },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});
