// Where a training step's time goes on the current backend: one profiled GAN (or VAE) step per size,
// after warm-up, grouped by tfjs kernel, plus the time outside kernels (JS, op dispatch, data feeding).
//   npx tsx bench/profile.ts [--model gan] [--sizes 32,64,128] [--batch 16] [--backend wasm] [--by kernel|shape] [--top 12]
// --by shape groups by kernel and input shapes, which tells a layer's forward pass from its gradients.
import { parseArgs } from 'node:util';
import { Rng } from '../shared/rng';
import { initBackend } from '../main/core/compute/backend';
import { parseConfig } from '../main/core/ml/config';
import { createModel } from '../main/core/ml/models';
import { tf } from '../main/core/compute/tf';
import { initState, trainStep } from '../main/core/ml/train';
import { syntheticData } from './engine';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'gan' },
    sizes: { type: 'string', default: '32,64,128' },
    batch: { type: 'string', default: '16' },
    backend: { type: 'string', default: 'wasm' },
    by: { type: 'string', default: 'kernel' },
    top: { type: 'string', default: '12' },
  },
});

await initBackend({ force: values.backend });
const report = [];
for (const size of values.sizes!.split(',').map(Number)) {
  const cfg = parseConfig({ model: values.model, size, batch: Number(values.batch) });
  const data = syntheticData(size, 24);
  const state = initState(createModel(cfg, data.vocabSize, new Rng(1)), 1);
  // As in npm run bench: small steps take about 10 to settle (the JIT warming tfjs's JavaScript).
  for (let i = 0; i < 10; i++) trainStep(state, data, cfg);
  const t0 = performance.now();
  const info = await tf.profile(() => {
    trainStep(state, data, cfg);
  });
  const wall = performance.now() - t0;
  const byKernel: Record<string, { ms: number; calls: number }> = {};
  for (const k of info.kernels) {
    const key = values.by === 'shape' ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
    const e = (byKernel[key] ??= { ms: 0, calls: 0 });
    e.ms += Number(k.kernelTimeMs);
    e.calls++;
  }
  const kernels = Object.entries(byKernel)
    .map(([name, e]) => ({ name, ms: +e.ms.toFixed(1), calls: e.calls }))
    .sort((a, b) => b.ms - a.ms);
  const inKernels = kernels.reduce((a, k) => a + k.ms, 0);
  report.push({
    model: cfg.model,
    size,
    batch: cfg.batch,
    wall_ms: +wall.toFixed(1),
    kernel_ms: +inKernels.toFixed(1),
    outside_ms: +(wall - inKernels).toFixed(1),
    kernels,
  });
  console.log(
    `\n${cfg.model} ${size}px batch ${cfg.batch}: ${wall.toFixed(0)} ms profiled step (profiling adds overhead), ${inKernels.toFixed(0)} ms in kernels`,
  );
  for (const k of kernels.slice(0, Number(values.top)))
    console.log(
      `  ${k.name.padEnd(values.by === 'shape' ? 56 : 24)} ${k.ms.toFixed(1).padStart(9)} ms  ${String(k.calls).padStart(5)} calls  ${((100 * k.ms) / wall).toFixed(1).padStart(5)} %`,
    );
}
console.log(JSON.stringify(report));
