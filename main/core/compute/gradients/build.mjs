// Bundles tfjs-core's stock gradient functions (its ESM `register_all_gradients`) into one self-contained
// file, ../build/stock-gradients.js, which compute/tf.ts imports. They ship registered only inside the
// @tensorflow/tfjs bundle, whose loading (tfjs-layers, -converter, -data and -webgl with it) was 0.4 s of
// every engine command's start-up; this file registers the same 101 gradients in about 15 ms. The copy of
// tfjs-core code inside it shares the one engine and registries (tfjs keeps them on the global object),
// as the @tensorflow/tfjs bundle's own copy does. Run by `npm install` (prepare) and `npm test`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const core = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json'));
await build({
  entryPoints: [path.join(core, 'dist', 'register_all_gradients.js')],
  outfile: fileURLToPath(new URL('../build/stock-gradients.js', import.meta.url)),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
});
