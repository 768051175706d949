// `npm run bench`: the engine's training and sampling speed and, when PyTorch is installed, the same GAN
// in PyTorch (bench/torch_gan.py) on the same machine. Trials alternate per size (engine, torch, engine,
// torch …) and each reports a median step, so load from other processes falls on both sides; the figures
// are medians over trials. Prints a table and JSON, and writes bench/results/latest.json.
//   npx tsx bench/run.ts [--quick] [--sizes 32,64,128] [--models gan,vae,ae] [--rounds 3] [--steps N]
//                        [--warmup N] [--sample-count 64] [--sample-size 64] [--skip-torch] [--out FILE] [--backend webgpu]
// --backend times the engine on another rung (webgpu: the GPU through Dawn) and wasm beside it, trial for
// trial, and reports how many times faster it is than wasm (wasm_step_ms / engine_step_ms).
// Each option can also be set as BENCH_<NAME> (BENCH_SIZES=32,64, BENCH_SKIP_TORCH=1, BENCH_QUICK=1 …);
// BENCH_PYTHON names the interpreter that has torch.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MODELS, parseConfig, type TrainConfig } from '../main/core/ml/config';
import { median, type SampleTrial, type TrainTrial, type Upsample } from './engine';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The flow model is timed on request (--models flow): its warp makes a 64 px step take 7.5 s, and at 128 px it fits wasm only up to batch 4. */
const DEFAULT_MODELS = MODELS.filter((m) => m !== 'flow');
/** A caption vocabulary the size a tagged folder of a few hundred images has. */
const VOCAB = 24;
const BATCH = 16;
export const TORCH_INSTALL = 'apt-get install python3-torch libopenblas0-pthread';

/** What bench/torch_gan.py prints (the fields this file reads). */
export interface TorchTrial {
  size: number;
  params: number;
  param_sizes: Record<string, number>;
  step_ms: number;
  images_per_sec: number;
  peak_rss_mb: number;
  torch: string;
  threads: number;
  omp_wait_policy: string;
  parallel_backend: string;
  blas: { libraries: string[]; openblas: boolean; sgemm_gflops: number };
}

type TorchEnv = Pick<TorchTrial, 'torch' | 'threads' | 'omp_wait_policy' | 'parallel_backend' | 'blas'>;

/** BENCH_PYTHON, else Debian's python3 first: the python3 on PATH may be another one without torch. */
export function findTorchPython(): string | null {
  for (const py of process.env.BENCH_PYTHON ? [process.env.BENCH_PYTHON] : ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 }).status === 0) return py;
  }
  return null;
}

/** torch_gan.py arguments that give it the engine's network and optimiser for `size`. */
export function torchArgs(size: TrainConfig['size'], upsample: Upsample, vocab = VOCAB): string[] {
  const c = parseConfig({ model: 'gan', size, batch: BATCH });
  const flags = {
    size: c.size,
    batch: c.batch,
    vocab,
    channels: c.channels,
    'z-dim': c.zDim,
    'emb-dim': c.embDim,
    'style-dim': c.styleDim,
    lr: c.lr,
    beta1: c.beta1,
    beta2: c.beta2,
    ema: c.emaBeta,
    upsample,
  };
  return [path.join(HERE, 'torch_gan.py'), ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)])];
}

/** Runs a command that prints one JSON object as its last stdout line; stderr lines go to `onLog`. */
export function runJson<T>(cmd: string, args: string[], onLog: (line: string) => void = () => {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: path.dirname(HERE), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      // Skip minified source lines that a stack trace through the wasm glue would print.
      const lines = err.split('\n').filter((l) => l.trim() && l.length < 400);
      if (code !== 0)
        return reject(
          new Error(
            lines
              .filter((l) => !/^\s+at /.test(l))
              .slice(-3)
              .join(' | ') || `exit ${code}`,
          ),
        );
      lines.forEach(onLog);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as T);
      } catch {
        reject(new Error(`${cmd} printed no JSON result`));
      }
    });
  });
}

/** From the sources, children run bench/engine.ts under this process's tsx loader; bench:pack's script runs itself. */
const SOURCE_ENGINE = [...(process.execArgv.length ? process.execArgv : ['--import', 'tsx']), path.join(HERE, 'engine.ts')];

interface Options {
  quick: boolean;
  sizes: TrainConfig['size'][];
  models: TrainConfig['model'][];
  rounds: number;
  steps: number | null;
  warmup: number | null;
  sampleCount: number;
  sampleSize: TrainConfig['size'];
  skipTorch: boolean;
  out: string;
  backend: string;
}

function options(): Options {
  const { values: a } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      'skip-torch': { type: 'boolean' },
      sizes: { type: 'string' },
      models: { type: 'string' },
      rounds: { type: 'string' },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      'sample-count': { type: 'string' },
      'sample-size': { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
    },
  });
  const get = (name: keyof typeof a) => {
    const v = a[name] ?? process.env[`BENCH_${name.toUpperCase().replace('-', '_')}`];
    return typeof v === 'string' && /^(0|false|)$/i.test(v) ? undefined : v;
  };
  const quick = Boolean(get('quick'));
  const int = (name: keyof typeof a, dflt: number) => {
    const n = Number(get(name) ?? dflt);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const list = (name: keyof typeof a, dflt: string) =>
    String(get(name) ?? dflt)
      .split(',')
      .map((s) => s.trim());
  const models = list('models', DEFAULT_MODELS.join(','));
  for (const m of models) if (!(MODELS as readonly string[]).includes(m)) throw new Error(`unknown model "${m}": use ${MODELS.join(', ')}`);
  return {
    quick,
    sizes: list('sizes', quick ? '32,64' : '32,64,128').map((s) => parseConfig({ size: Number(s) }).size),
    models: models as TrainConfig['model'][],
    rounds: int('rounds', quick ? 1 : 3),
    steps: get('steps') === undefined ? (quick ? 3 : null) : int('steps', 1),
    warmup: get('warmup') === undefined ? (quick ? 1 : null) : int('warmup', 1),
    sampleCount: int('sample-count', quick ? 16 : 64),
    sampleSize: parseConfig({ size: int('sample-size', 64) }).size,
    skipTorch: Boolean(get('skip-torch')),
    out: String(get('out') ?? path.join(HERE, 'results', 'latest.json')),
    backend: String(get('backend') ?? 'wasm').toLowerCase(),
  };
}

/** Fewer timed steps at larger sizes keep a full run near 10 minutes at the engine's current speed. */
const DEFAULT_STEPS: Record<number, number> = { 32: 15, 64: 8, 128: 4 };
/**
 * Untimed steps first, the same for both sides. The engine's 32 px steps take about 10 to settle (200+
 * then ~150 ms: its step is mostly tfjs's JavaScript, which the JIT warms up); from 64 px on, 2 suffice.
 */
const DEFAULT_WARMUP: Record<number, number> = { 32: 10, 64: 2, 128: 2 };

export interface Row {
  model: TrainConfig['model'];
  size: number;
  batch: number;
  /** The generator's up-sampling layer, which the torch reference copies. */
  upsample: Upsample | null;
  params: number;
  engine_step_ms: number | null;
  engine_images_per_sec: number | null;
  engine_trials_ms: number[];
  engine_peak_rss_mb: number | null;
  torch_step_ms?: number;
  torch_images_per_sec?: number;
  torch_trials_ms?: number[];
  torch_peak_rss_mb?: number;
  torch_params?: number;
  /** engine_step_ms / torch_step_ms: below 1 means the engine is faster. */
  ratio?: number | null;
  /** With --backend other than wasm: wasm's step on the same machine, and wasm_step_ms / engine_step_ms. */
  wasm_step_ms?: number | null;
  speedup_vs_wasm?: number | null;
}

export interface BenchResult {
  date: string;
  minutes: number;
  options: object;
  machine: { cores: number; cpu: string; node: string; load_start: number; load_end: number };
  engine: Pick<TrainTrial, 'backend' | 'threads' | 'simd' | 'device'> | null;
  torch: (TorchEnv & { python: string }) | { missing: string };
  train: Row[];
  /** engine_step_ms / torch_step_ms of the GAN by size. */
  ratios: Record<string, number | null | undefined>;
  sampling: SampleTrial | null;
  /** With --backend other than wasm: the same sampling on wasm. */
  wasm_sampling?: SampleTrial | null;
  peak_rss_mb: number;
  errors: string[];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Names whose sizes differ between the engine's and torch's parameter maps. */
export function paramMismatches(a: Record<string, number>, b: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return names.filter((n) => a[n] !== b[n]).map((n) => `${n} (engine ${a[n] ?? '-'}, torch ${b[n] ?? '-'})`);
}

/** `engineCommand`: node's arguments that start one engine trial (bench/engine.ts's main). */
export async function main(engineCommand: string[] = SOURCE_ENGINE): Promise<void> {
  const engine = <T>(args: string[]) => runJson<T>(process.execPath, [...engineCommand, ...args]);
  const o = options();
  const started = Date.now();
  const load0 = os.loadavg()[0];
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const errors: string[] = [];
  const python = o.skipTorch ? null : findTorchPython();
  if (!o.skipTorch && !python)
    log(
      `PyTorch not found (python3 -c "import torch" failed): reporting the engine alone.\nFor the PyTorch reference, install it with: ${TORCH_INSTALL}`,
    );
  log(
    `bench: sizes ${o.sizes.join(', ')}, models ${o.models.join(', ')}${python ? ' + torch' : ''}, ${o.rounds} round(s), batch ${BATCH}; machine load ${load0!.toFixed(1)} on ${os.availableParallelism()} cores`,
  );

  const rows: Row[] = [];
  let backend: Pick<TrainTrial, 'backend' | 'threads' | 'simd' | 'device'> | null = null;
  let torchEnv: TorchEnv | null = null;
  for (const size of o.sizes) {
    const steps = o.steps ?? DEFAULT_STEPS[size];
    const warmup = o.warmup ?? DEFAULT_WARMUP[size];
    const eng = new Map<string, TrainTrial[]>(o.models.map((m) => [m, []]));
    const wasm = new Map<string, TrainTrial[]>(o.models.map((m) => [m, []]));
    const versus = o.backend !== 'wasm';
    const ref: TorchTrial[] = [];
    const trialArgs = [
      '--size',
      String(size),
      '--batch',
      String(BATCH),
      '--steps',
      String(steps),
      '--warmup',
      String(warmup),
      '--vocab',
      String(VOCAB),
    ];
    for (let round = 1; round <= o.rounds; round++) {
      const tag = `[${size}px ${round}/${o.rounds}]`;
      const trial = async <T extends { step_ms: number }>(name: string, run: () => Promise<T>): Promise<T | null> => {
        try {
          const t = await run();
          log(`${tag} ${name.padEnd(10)} ${t.step_ms.toFixed(1)} ms/step`);
          return t;
        } catch (e) {
          errors.push(`${size}px ${name}: ${(e as Error).message}`);
          log(`${tag} ${name.padEnd(10)} failed: ${(e as Error).message}`);
          return null;
        }
      };
      for (const model of o.models) {
        const e = await trial(`engine ${model}`, () =>
          engine<TrainTrial>(['train', '--model', model, ...trialArgs, '--backend', o.backend]),
        );
        if (e) eng.get(model)!.push(e);
        if (versus) {
          const w = await trial(`wasm ${model}`, () => engine<TrainTrial>(['train', '--model', model, ...trialArgs, '--backend', 'wasm']));
          if (w) wasm.get(model)!.push(w);
        }
        // The reference runs right after the engine's GAN trial, with the layers that trial reported.
        if (python && e?.model === 'gan' && e.upsample) {
          const onLog = ref.length ? undefined : log;
          const args = [...torchArgs(size, e.upsample), '--steps', String(steps), '--warmup', String(warmup)];
          const t = await trial('torch gan', () => runJson<TorchTrial>(python, args, onLog));
          if (t) ref.push(t);
        }
      }
    }
    for (const model of o.models) {
      const ts = eng.get(model)!;
      const ms = ts.length ? median(ts.map((t) => t.step_ms)) : null;
      backend ??= ts[0] ? { backend: ts[0].backend, threads: ts[0].threads, simd: ts[0].simd, device: ts[0].device } : null;
      const row: Row = {
        model,
        size,
        batch: BATCH,
        upsample: ts[0]?.upsample ?? null,
        params: ts[0]?.params ?? 0,
        engine_step_ms: ms === null ? null : r2(ms),
        engine_images_per_sec: ms === null ? null : r2((BATCH * 1000) / ms),
        engine_trials_ms: ts.map((t) => t.step_ms),
        engine_peak_rss_mb: ts.length ? Math.max(...ts.map((t) => t.peak_rss_mb)) : null,
      };
      if (model === 'gan' && ref.length) {
        const tms = median(ref.map((t) => t.step_ms));
        const { torch, threads, omp_wait_policy, parallel_backend, blas } = ref[0]!;
        torchEnv ??= { torch, threads, omp_wait_policy, parallel_backend, blas };
        Object.assign(row, {
          torch_step_ms: r2(tms),
          torch_images_per_sec: r2((BATCH * 1000) / tms),
          torch_trials_ms: ref.map((t) => t.step_ms),
          torch_peak_rss_mb: Math.max(...ref.map((t) => t.peak_rss_mb)),
          torch_params: ref[0]!.params,
          ratio: ms === null ? null : r2(ms / tms),
        });
        const diff = ts[0] ? paramMismatches(ts[0].param_sizes, ref[0]!.param_sizes) : [];
        if (diff.length) errors.push(`${size}px: the torch reference is not the engine's network: ${diff.join(', ')}`);
      }
      if (versus) {
        const ws = wasm.get(model)!;
        const wms = ws.length ? median(ws.map((t) => t.step_ms)) : null;
        row.wasm_step_ms = wms === null ? null : r2(wms);
        row.speedup_vs_wasm = wms === null || ms === null ? null : r2(wms / ms);
      }
      rows.push(row);
    }
  }

  const sampleArgs = [
    'sample',
    '--size',
    String(o.sampleSize),
    '--count',
    String(o.sampleCount),
    '--batch',
    String(BATCH),
    '--repeats',
    o.quick ? '1' : '3',
    '--vocab',
    String(VOCAB),
  ];
  const sample = (backend: string) =>
    engine<SampleTrial>([...sampleArgs, '--backend', backend]).catch((e: Error) => {
      errors.push(`sampling on ${backend}: ${e.message}`);
      return null;
    });
  const sampling = await sample(o.backend);
  const wasmSampling = o.backend === 'wasm' ? undefined : await sample('wasm');

  const ratios = Object.fromEntries(rows.filter((r) => r.ratio != null).map((r) => [String(r.size), r.ratio]));
  const peaks = [...rows.map((r) => r.engine_peak_rss_mb ?? 0), sampling?.peak_rss_mb ?? 0];
  const result: BenchResult = {
    date: new Date(started).toISOString(),
    minutes: r2((Date.now() - started) / 60_000),
    options: {
      backend: o.backend,
      quick: o.quick,
      sizes: o.sizes,
      models: o.models,
      rounds: o.rounds,
      steps: o.steps ?? DEFAULT_STEPS,
      warmup: o.warmup ?? DEFAULT_WARMUP,
      batch: BATCH,
    },
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      load_start: r2(load0!),
      load_end: r2(os.loadavg()[0]!),
    },
    engine: backend,
    torch:
      torchEnv && python
        ? { python, ...torchEnv }
        : {
            missing: python
              ? `every trial with ${python} failed (see errors)`
              : o.skipTorch
                ? 'skipped (--skip-torch)'
                : `install with: ${TORCH_INSTALL}`,
          },
    train: rows,
    ratios,
    sampling,
    ...(wasmSampling !== undefined && { wasm_sampling: wasmSampling }),
    peak_rss_mb: Math.max(...peaks),
    errors,
  };

  console.log(table(result));
  console.log(JSON.stringify(result, null, 2));
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), o.out)}`);
  if (errors.length) {
    log(`errors:\n  ${errors.join('\n  ')}`);
    process.exitCode = 1;
  }
}

function table(r: BenchResult): string {
  const f = (x: number | null | undefined, d = 1) => (x == null ? '-' : x.toFixed(d));
  const head = ['model', 'size', 'engine ms/step', 'img/s', 'torch ms/step', 'img/s', 'ratio', 'params', 'peak RSS MB'];
  const body = r.train.map((x) => [
    x.model,
    `${x.size}`,
    f(x.engine_step_ms),
    f(x.engine_images_per_sec),
    f(x.torch_step_ms),
    f(x.torch_images_per_sec),
    f(x.ratio, 2),
    x.params.toLocaleString('en'),
    f(x.engine_peak_rss_mb, 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const { engine: e, torch: t, sampling } = r;
  return [
    line(head),
    ...body.map(line),
    '',
    sampling
      ? `sampling: ${sampling.count} images at ${sampling.size} px in ${f(sampling.ms, 0)} ms (${f(sampling.images_per_sec)} images/s, batch ${sampling.batch})`
      : 'sampling: failed',
    e
      ? `engine: tfjs ${e.backend} on ${e.device}, ${e.threads ?? '?'} thread(s), SIMD ${e.simd ? 'on' : 'off'}; generator up-sampling: ${r.train.find((t) => t.upsample)?.upsample ?? 'none'}`
      : 'engine: no trial succeeded',
    ...r.train
      .filter((x) => x.speedup_vs_wasm !== undefined)
      .map((x) => `${x.model} ${x.size} px: wasm ${f(x.wasm_step_ms)} ms/step, ${f(x.speedup_vs_wasm, 2)}× faster than wasm`),
    ...(r.wasm_sampling ? [`sampling on wasm: ${f(r.wasm_sampling.ms, 0)} ms`] : []),
    'missing' in t
      ? `torch: ${t.missing}`
      : `torch: ${t.torch}, ${t.threads} threads (OMP_WAIT_POLICY=${t.omp_wait_policy}), BLAS ${t.blas.libraries.join(', ')} (sgemm ${t.blas.sgemm_gflops} GFLOP/s)` +
        (t.blas.openblas
          ? ''
          : '\nwarning: torch is not using OpenBLAS; if that means the reference BLAS, the reference is weak: apt-get install libopenblas0-pthread'),
    `load average ${r.machine.load_start} at start, ${r.machine.load_end} at end, on ${r.machine.cores} cores (ratios are medians of interleaved trials)`,
    '',
  ].join('\n');
}

// From the sources only: bench:pack's bundle (bench/pack-entry.ts) calls main itself.
if (process.argv[1] && import.meta.url.endsWith('.ts') && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
