// Times the engine. One trial per process, so that peak RSS belongs to one model and size; bench/run.ts
// runs these trials interleaved with the PyTorch reference. Prints one JSON object:
//   npx tsx bench/engine.ts train --model gan --size 32 [--batch 16 --steps 10 --warmup 2 --vocab 24]
//   npx tsx bench/engine.ts sample --size 64 [--count 64 --batch 16 --repeats 3]
// --backend (default wasm) times another rung of the backend ladder.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../shared/rng';
import { deviceName, initBackend } from '../main/core/compute/backend';
import { parseConfig, type TrainConfig } from '../main/core/ml/config';
import { createModel } from '../main/core/ml/models';
import type { Params } from '../main/core/ml/params';
import { tf } from '../main/core/compute/tf';
import { type ArrayData, emaView, initState, trainStepAsync } from '../main/core/ml/train';

export interface BackendInfo {
  backend: string;
  threads: number | null;
  simd: boolean | null;
  /** The device: the GPU adapter on webgpu, else the CPU and its threads. */
  device: string;
}

export type Upsample = 'transposed' | 'subpixel' | 'resize';

export interface TrainTrial extends BackendInfo {
  impl: 'engine';
  model: TrainConfig['model'];
  /** The generator's up-sampling layer; null for the flow model, which has no generator. */
  upsample: Upsample | null;
  size: number;
  batch: number;
  steps: number;
  warmup: number;
  step_ms: number;
  step_ms_min: number;
  images_per_sec: number;
  params: number;
  param_sizes: Record<string, number>;
  peak_rss_mb: number;
}

export interface SampleTrial extends BackendInfo {
  size: number;
  count: number;
  batch: number;
  /** Median over repeats of the time to draw `count` images as RGB bytes. */
  ms: number;
  images_per_sec: number;
  peak_rss_mb: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Median ms of `run` over `repeats` timed calls after `warmup` untimed ones (the first call builds
 * XNNPACK operators). Reads the result back, so the work is done; a block body because tidy walks a
 * returned typed array element by element.
 */
export function medianMs(run: () => tf.Tensor, repeats: number, warmup = 0): number {
  const times: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    const t0 = performance.now();
    tf.tidy(() => {
      run().dataSync();
    });
    if (i >= warmup) times.push(performance.now() - t0);
  }
  return median(times);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Random pixels and three-token caption bags, in the layout the trainer reads. */
export function syntheticData(size: number, vocabSize: number, seed = 1, count = 64, framePairs = false): ArrayData {
  const rng = new Rng(seed);
  const images = Uint8Array.from({ length: count * size * size * 3 }, () => rng.int(256));
  const bags = new Float32Array(count * vocabSize);
  for (let i = 0; i < count; i++) for (let k = 0; k < 3; k++) bags[i * vocabSize + 1 + rng.int(vocabSize - 1)]! += 1 / 3;
  // The flow model trains on (frame, next frame): here every image and the one after it.
  const pairs = framePairs ? Uint32Array.from({ length: 2 * (count - 1) }, (_, k) => (k >> 1) + (k & 1)) : undefined;
  return { images, bags, count, size, vocabSize, pairs };
}

/** The generator's up-sampling layer, from its first kernel: the PyTorch reference builds the same. */
export function upsampleKind(params: Params): Upsample {
  const shape = params['g/up1/w']?.shape;
  if (shape?.[0] === 4) return 'transposed'; // [4, 4, out, in] for conv2dTranspose
  if (shape?.[3] === params['g/film1/b']!.shape[0] / 2) return 'resize'; // [3, 3, in, out] after nearest ×2
  if (shape?.[0] === 3) return 'subpixel'; // [3, 3, in, 4·out] before depth-to-space
  throw new Error(`unknown up-sampling layer: g/up1/w has shape [${shape}]`);
}

export function paramSizes(params: Params): Record<string, number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.size]));
}

async function backendInfo(force: string): Promise<BackendInfo> {
  const r = await initBackend({ force });
  return { backend: r.tfBackend, threads: r.threads ?? null, simd: r.simd ?? null, device: deviceName(r) };
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 102.4) / 10;

export interface TrainOptions {
  model: TrainConfig['model'];
  size: TrainConfig['size'];
  batch: number;
  steps: number;
  warmup: number;
  vocab: number;
  backend: string;
}

export async function benchTrain(o: TrainOptions): Promise<TrainTrial> {
  const info = await backendInfo(o.backend);
  const cfg = parseConfig({ model: o.model, size: o.size, batch: o.batch });
  const model = createModel(cfg, o.vocab, new Rng(cfg.seed));
  const state = initState(model, cfg.seed);
  const data = syntheticData(o.size, o.vocab, 1, 64, o.model === 'flow');
  // Losses read back asynchronously: the step's work is done when it returns, on every backend.
  for (let i = 0; i < o.warmup; i++) await trainStepAsync(state, data, cfg);
  const times: number[] = [];
  for (let i = 0; i < o.steps; i++) {
    const t0 = performance.now();
    await trainStepAsync(state, data, cfg);
    times.push(performance.now() - t0);
  }
  const stepMs = median(times);
  const sizes = paramSizes(model.params);
  return {
    impl: 'engine',
    model: o.model,
    upsample: model.params['g/up1/w'] ? upsampleKind(model.params) : null,
    size: o.size,
    batch: o.batch,
    steps: o.steps,
    warmup: o.warmup,
    step_ms: round2(stepMs),
    step_ms_min: round2(Math.min(...times)),
    images_per_sec: round2((o.batch * 1000) / stepMs),
    params: Object.values(sizes).reduce((a, b) => a + b, 0),
    param_sizes: sizes,
    peak_rss_mb: peakRssMb(),
    ...info,
  };
}

export interface SampleOptions {
  size: TrainConfig['size'];
  count: number;
  batch: number;
  repeats: number;
  vocab: number;
  backend: string;
}

/** Sampling throughput of an (untrained) GAN's EMA generator: the speed does not depend on the weights. */
export async function benchSample(o: SampleOptions): Promise<SampleTrial> {
  const info = await backendInfo(o.backend);
  const cfg = parseConfig({ model: 'gan', size: o.size });
  const model = createModel(cfg, o.vocab, new Rng(cfg.seed));
  const weights = emaView(initState(model, cfg.seed));
  const data = syntheticData(o.size, o.vocab);
  const rng = new Rng(2);
  // RGB bytes as toRgbBytes makes them, read back asynchronously (the webgpu backend cannot read synchronously).
  const draw = async (n: number) => {
    const x = tf.tidy(() => {
      const out = model.generate!(
        weights,
        tf.tensor2d(rng.normals(n * cfg.zDim), [n, cfg.zDim]),
        tf.tensor2d(data.bags.subarray(0, n * o.vocab), [n, o.vocab]),
      );
      return tf.clipByValue(tf.round(tf.mul(tf.add(out, 1), 127.5)), 0, 255);
    });
    Uint8Array.from(await x.data());
    x.dispose();
  };
  await draw(Math.min(o.batch, o.count));
  const times: number[] = [];
  for (let r = 0; r < o.repeats; r++) {
    const t0 = performance.now();
    for (let done = 0; done < o.count; done += o.batch) await draw(Math.min(o.batch, o.count - done));
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  return {
    size: o.size,
    count: o.count,
    batch: o.batch,
    ms: round2(ms),
    images_per_sec: round2((o.count * 1000) / ms),
    peak_rss_mb: peakRssMb(),
    ...info,
  };
}

export async function main(args = process.argv.slice(2)): Promise<void> {
  const { positionals, values: v } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'gan' },
      size: { type: 'string', default: '32' },
      batch: { type: 'string', default: '16' },
      steps: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      vocab: { type: 'string', default: '24' },
      count: { type: 'string', default: '64' },
      repeats: { type: 'string', default: '3' },
      backend: { type: 'string', default: 'wasm' },
    },
  });
  // parseConfig validates model and size with the engine's own messages.
  const cfg = parseConfig({ model: v.model, size: Number(v.size), batch: Number(v.batch) });
  const common = { size: cfg.size, batch: cfg.batch, vocab: Number(v.vocab), backend: v.backend };
  const mode = positionals[0] ?? 'train';
  if (mode !== 'train' && mode !== 'sample') throw new Error(`unknown mode "${mode}": use train or sample`);
  const result =
    mode === 'train'
      ? await benchTrain({ ...common, model: cfg.model, steps: Number(v.steps), warmup: Number(v.warmup) })
      : await benchSample({ ...common, count: Number(v.count), repeats: Number(v.repeats) });
  console.log(JSON.stringify(result));
}

// From the sources only: bench:pack's bundle (bench/pack-entry.ts) calls main itself.
if (process.argv[1] && import.meta.url.endsWith('.ts') && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
