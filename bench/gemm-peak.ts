// The engine's arithmetic ceiling on this machine: wasm (XNNPACK, SIMD) matrix products and 3×3
// convolutions of the GAN's shapes, fresh operands each call as in training (XNNPACK caches packed
// weights per tensor). Compare with the sgemm GFLOP/s `npm run bench` prints for torch's BLAS.
//   npx tsx bench/gemm-peak.ts [--repeats 7]       (HOMEGROWN_THREADS=1|2 to pick the thread count)
import { parseArgs } from 'node:util';
import { initBackend } from '../main/core/ml/backend';
import { tf } from '../main/core/ml/tf';
import { median } from './engine';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '7' } } });
const report = await initBackend({ force: 'wasm' });
const repeats = Number(values.repeats);

function gflops(flop: number, run: () => tf.Tensor): number {
  const times: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const t0 = performance.now();
    tf.tidy(() => run().dataSync());
    if (i > 0) times.push(performance.now() - t0);
  }
  return flop / median(times) / 1e6;
}

console.log(`wasm, ${report.threads} thread(s), SIMD ${report.simd ? 'on' : 'off'}`);
for (const [m, k, n] of [[512, 512, 512], [1024, 1152, 256], [256, 2304, 512]]) {
  const [a, b] = [tf.randomNormal([m, k]) as tf.Tensor2D, tf.randomNormal([k, n]) as tf.Tensor2D];
  console.log(`matMul ${m}×${k} · ${k}×${n}`.padEnd(40), gflops(2 * m * k * n, () => tf.matMul(a, tf.add(b, 0))).toFixed(1), 'GFLOP/s');
  tf.dispose([a, b]);
}
for (const [x, w] of [[[16, 32, 32, 32], [3, 3, 32, 64]], [[16, 8, 8, 128], [3, 3, 128, 256]], [[16, 4, 4, 256], [3, 3, 256, 512]]] as const) {
  const [input, filter] = [tf.randomNormal([...x]) as tf.Tensor4D, tf.randomNormal([...w]) as tf.Tensor4D];
  const flop = 2 * x[0] * x[1] * x[2] * w[0] * w[1] * w[2] * w[3];
  console.log(`conv2d ${x.join('×')} * ${w.join('×')}`.padEnd(40), gflops(flop, () => tf.conv2d(input, tf.add(filter, 0) as tf.Tensor4D, 1, 'same')).toFixed(1), 'GFLOP/s');
  tf.dispose([input, filter]);
}
