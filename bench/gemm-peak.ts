// The arithmetic ceiling on this machine: wasm (XNNPACK, SIMD) matrix products and 3×3 convolutions
// of the GAN's shapes, fresh operands each call as in training (XNNPACK caches packed weights per
// tensor), and the same shapes in PyTorch on the CPU when it is installed (same thread count).
//   npx tsx bench/gemm-peak.ts [--repeats 7]       (HOMEGROWN_THREADS=1|2 to pick the thread count)
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { initBackend } from '../main/core/compute/backend';
import { tf } from '../main/core/compute/tf';
import { medianMs } from './engine';
import { findTorchPython } from './run';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '7' } } });
const report = await initBackend({ force: 'wasm' });
const repeats = Number(values.repeats);

const gflops = (flop: number, run: () => tf.Tensor) => flop / medianMs(run, repeats, 1) / 1e6;

console.log(`wasm, ${report.threads} thread(s), SIMD ${report.simd ? 'on' : 'off'}`);
const MATMULS = [
  [512, 512, 512],
  [1024, 1152, 256],
  [256, 2304, 512],
] as const;
const CONVS = [
  [
    [16, 32, 32, 32],
    [3, 3, 32, 64],
  ],
  [
    [16, 8, 8, 128],
    [3, 3, 128, 256],
  ],
  [
    [16, 4, 4, 256],
    [3, 3, 256, 512],
  ],
] as const;
for (const [m, k, n] of MATMULS) {
  const [a, b] = [tf.randomNormal([m, k]) as tf.Tensor2D, tf.randomNormal([k, n]) as tf.Tensor2D];
  console.log(`matMul ${m}×${k} · ${k}×${n}`.padEnd(40), gflops(2 * m * k * n, () => tf.matMul(a, tf.add(b, 0))).toFixed(1), 'GFLOP/s');
  tf.dispose([a, b]);
}
for (const [x, w] of CONVS) {
  const [input, filter] = [tf.randomNormal([...x]) as tf.Tensor4D, tf.randomNormal([...w]) as tf.Tensor4D];
  const flop = 2 * x[0] * x[1] * x[2] * w[0] * w[1] * w[2] * w[3];
  console.log(
    `conv2d ${x.join('×')} * ${w.join('×')}`.padEnd(40),
    gflops(flop, () => tf.conv2d(input, tf.add(filter, 0) as tf.Tensor4D, 1, 'same')).toFixed(1),
    'GFLOP/s',
  );
  tf.dispose([input, filter]);
}

// The same shapes in torch (NCHW), medians of the same number of repeats.
const python = findTorchPython();
if (python) {
  const script = `
import json, statistics, sys, time, torch, torch.nn.functional as F
torch.set_num_threads(${report.threads ?? 1})
def gflops(flop, run):
    run(); ts = []
    for _ in range(${repeats}):
        t = time.perf_counter(); run(); ts.append(time.perf_counter() - t)
    return flop / statistics.median(ts) / 1e9
for m, k, n in ${JSON.stringify(MATMULS)}:
    a, b = torch.randn(m, k), torch.randn(k, n)
    print(f"torch matMul {m}x{k} . {k}x{n}".ljust(40), round(gflops(2 * m * k * n, lambda: a @ b), 1), "GFLOP/s")
for x, w in ${JSON.stringify(CONVS)}:
    X, W = torch.randn(x[0], x[3], x[1], x[2]), torch.randn(w[3], w[2], w[0], w[1])
    flop = 2 * x[0] * x[1] * x[2] * w[0] * w[1] * w[2] * w[3]
    print(f"torch conv2d {x} * {w}".ljust(40), round(gflops(flop, lambda: F.conv2d(X, W, padding=1)), 1), "GFLOP/s")
`;
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'passive' } });
  process.stdout.write(r.stdout || r.stderr);
} else {
  console.log('torch: not installed (apt-get install python3-torch libopenblas0-pthread)');
}
