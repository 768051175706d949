// Our 1×1-conv matMul (wasm/matmul.ts) against tfjs's wasm BatchMatMul on the dense layers' products
// (forward and gradient shapes at 32, 64 and 128 px), a fresh right operand each call as in training.
//   npx tsx bench/matmul.ts [--repeats 9]       (HOMEGROWN_THREADS=1|2 to pick the thread count)
import { parseArgs } from 'node:util';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../main/core/compute/backend';
import { tf } from '../main/core/compute/tf';
import { medianMs } from './engine';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '9' } } });
// Taken before initBackend replaces it.
const xnnpack = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
const report = await initBackend({ force: 'wasm' });
const repeats = Number(values.repeats);

// [m, k, n]: around MIN_WEIGHTS (k·n = 65536), and the largest dense layers.
const PRODUCTS: [number, number, number][] = [
  [16, 24, 64],
  [16, 64, 128],
  [16, 128, 128],
  [16, 128, 256],
  [16, 256, 256],
  [16, 64, 1024],
  [32, 256, 256],
  [16, 2048, 128],
  [32, 2048, 128],
  [16, 128, 2048],
  [16, 4096, 256],
  [32, 4096, 256],
  [16, 256, 4096],
  [16, 128, 4096],
  [16, 8192, 512],
  [16, 128, 16384],
  [128, 16, 2048],
  [2048, 128, 32],
  [128, 2048, 16],
  [128, 64, 16],
  [4096, 16, 256],
  [256, 16, 4096],
];

console.log(`wasm, ${report.threads} thread(s)`);
for (const [m, k, n] of PRODUCTS) {
  const [a, b] = [tf.randomNormal([m, k]) as tf.Tensor2D, tf.randomNormal([k, n]) as tf.Tensor2D];
  const attrs = { transposeA: false, transposeB: false } as unknown as tf.NamedAttrMap;
  const stock = (w: tf.Tensor2D) => {
    const out = xnnpack({
      inputs: { a: tf.reshape(a, [1, m, k]), b: tf.reshape(w, [1, k, n]) },
      backend: tf.backend(),
      attrs,
    }) as tf.TensorInfo;
    return tf.engine().makeTensorFromTensorInfo(out);
  };
  const ours = (w: tf.Tensor2D) => tf.matMul(a, w);
  // The fresh operand costs the same copy on both sides.
  const [s, o] = [medianMs(() => stock(tf.add(b, 0)), repeats, 2), medianMs(() => ours(tf.add(b, 0)), repeats, 2)];
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.reshape(stock(b), [m, n]), ours(b)))).dataSync()[0]!);
  console.log(
    `[${m}, ${k}] · [${k}, ${n}]`.padEnd(26),
    `XNNPACK ${s.toFixed(2).padStart(6)} ms   ours ${o.toFixed(2).padStart(6)} ms   ×${(s / o).toFixed(2)}   max diff ${diff.toExponential(1)}`,
  );
  tf.dispose([a, b]);
}
