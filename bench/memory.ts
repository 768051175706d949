// `npm run bench:memory`: peak memory of training on a large generated folder (issue 16's targets), the
// doctor on the same folder, and the step time of the streamed loader against the same data held in
// memory. Every measurement runs in a process of its own, so each peak RSS is that measurement's alone:
// loading (examining and decoding every image into a fresh cache) plus the training steps.
//   npx tsx bench/memory.ts [--images 50000] [--sizes 64,128] [--steps 10] [--compare 5000] [--rounds 3]
//                           [--dir /tmp/homegrown-shapes] [--backend wasm]
// The folders are made once (bench/shapes-folder.ts) under --dir and kept for later runs.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../main/core/compute/backend';
import { restrictDecoders } from '../main/core/dataset/decode';
import { examineFolder } from '../main/core/dataset/doctor';
import { promptBag } from '../main/core/ml/text';
import { drawBatch, type TrainData, trainLoop } from '../main/core/ml/train';
import { TrainingSession } from '../main/core/runs/session';
import { Rng } from '../shared/rng';
import { captionTokens } from '../shared/text/tokenize';
import { writeShapesFolder } from './shapes-folder';

const HERE = fileURLToPath(import.meta.url);
const MB = 2 ** 20;
// Steps that are not timed: the first steps compile kernels and warm caches.
const WARMUP = 2;
const BATCHES = 500;

interface TrainResult {
  images: number;
  size: number;
  loadSeconds: number;
  stepMs: number;
  peakRssMb: number;
}

interface CompareResult {
  size: number;
  images: number;
  /** Mean time to draw one batch. */
  batchMs: { streamed: number; inMemory: number };
  streamedMs: number[];
  inMemoryMs: number[];
}

interface DoctorResult {
  files: number;
  /** Size of the JSON report, which is held in memory too. */
  reportMb: number;
  seconds: number;
  peakRssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const peakRssMb = () => Math.round((process.resourceUsage().maxRSS * 1024) / MB);
const quietConfig = (size: number, steps: number) => ({ size, steps, sampleEvery: 1_000_000, checkpointEvery: 1_000_000 });

async function scratch(name: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `homegrown-bench-${name}-`));
}

/** Child: creates a run on the folder (decoding it into a fresh cache) and trains `steps` steps. */
async function trainChild(dir: string, size: number, steps: number, backend: string): Promise<TrainResult> {
  restrictDecoders();
  const active = (await initBackend({ force: backend })).active;
  const work = await scratch('train');
  try {
    const t0 = performance.now();
    const session = await TrainingSession.create({
      dataset: dir,
      out: work,
      config: quietConfig(size, WARMUP + steps),
      backend: active,
      cacheDir: path.join(work, 'cache'),
    });
    const loadSeconds = (performance.now() - t0) / 1000;
    const ms: number[] = [];
    await session.train(WARMUP + steps, { onStep: (info) => void (info.step > WARMUP && ms.push(info.ms)) });
    session.dispose();
    return {
      images: session.dataset.items.length,
      size,
      loadSeconds: +loadSeconds.toFixed(1),
      stepMs: +median(ms)!.toFixed(1),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Child: the same run trained from the streamed data and from one array + dense bags, rounds alternating. */
async function compareChild(dir: string, size: number, steps: number, rounds: number, backend: string): Promise<CompareResult> {
  restrictDecoders();
  const active = (await initBackend({ force: backend })).active;
  const work = await scratch('compare');
  try {
    const session = await TrainingSession.create({ dataset: dir, out: work, config: quietConfig(size, 1_000_000), backend: active });
    const streamed = session.trainData();
    const v = streamed.vocabSize;
    const bags = new Float32Array(streamed.count * v);
    session.dataset.items.forEach((item, i) =>
      bags.set(
        promptBag(
          session.vocab,
          [...new Set(captionTokens(item.caption))].map((token) => ({ token, weight: 1 })),
        ).bag,
        i * v,
      ),
    );
    const inMemory: TrainData = { ...streamed, images: session.dataset.images.readAll(), bags };
    const time = async (data: TrainData) => {
      const ms: number[] = [];
      await trainLoop(session.state, data, session.cfg, session.state.step + WARMUP + steps, { onStep: (info) => void ms.push(info.ms) });
      return median(ms.slice(WARMUP));
    };
    // Batch drawing alone, the only part of a step the loader changes.
    const draw = (data: TrainData) => {
      const rng = new Rng(1);
      const t0 = performance.now();
      for (let k = 0; k < BATCHES; k++) drawBatch(data, session.cfg.batch, rng);
      return +((performance.now() - t0) / BATCHES).toFixed(3);
    };
    const result: CompareResult = {
      size,
      images: streamed.count,
      batchMs: { streamed: draw(streamed), inMemory: draw(inMemory) },
      streamedMs: [],
      inMemoryMs: [],
    };
    // Which goes first alternates, so load from other processes falls on both sides.
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 ? ['inMemory', 'streamed'] : ['streamed', 'inMemory']) {
        if (which === 'streamed') result.streamedMs.push(+(await time(streamed))!.toFixed(1));
        else result.inMemoryMs.push(+(await time(inMemory))!.toFixed(1));
      }
    }
    session.dispose();
    return result;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Child: the doctor's full report on the folder, as `homegrown doctor --json` builds it. */
async function doctorChild(dir: string): Promise<DoctorResult> {
  restrictDecoders();
  const t0 = performance.now();
  const report = await examineFolder(dir);
  const json = JSON.stringify(report, null, 2);
  return {
    files: report.files.length,
    reportMb: +(json.length / MB).toFixed(1),
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
    peakRssMb: peakRssMb(),
  };
}

/** Runs this file as a child with `args`; its result is the JSON line it prints last on stderr. */
function child<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', HERE, '--child', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      const line = err.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('RESULT ')) resolve(JSON.parse(line.slice(7)) as T);
      else reject(new Error(`bench child ${args.join(' ')} failed (exit ${code}):\n${err.slice(-2000)}`));
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' },
      images: { type: 'string', default: '50000' },
      sizes: { type: 'string', default: '64,128' },
      steps: { type: 'string', default: '10' },
      compare: { type: 'string', default: '5000' },
      rounds: { type: 'string', default: '3' },
      dir: { type: 'string', default: path.join(os.tmpdir(), 'homegrown-shapes') },
      backend: { type: 'string', default: '' },
    },
    allowPositionals: true,
    strict: false,
  });
  const [images, steps, compare, rounds] = [values.images, values.steps, values.compare, values.rounds].map(Number);
  const sizes = String(values.sizes).split(',').map(Number);
  const backend = String(values.backend);
  const large = path.join(String(values.dir), `${images}`);
  const small = path.join(String(values.dir), `${compare}`);
  for (const [dir, count] of [
    [large, images],
    [small, compare],
  ] as const) {
    process.stderr.write(`making ${count} images in ${dir} (kept for later runs)\n`);
    await writeShapesFolder(dir, count!);
  }
  const rows: string[] = [];
  const json: Record<string, unknown> = { images, steps, machine: `${os.cpus().length} × ${os.cpus()[0]?.model}`, node: process.version };
  for (const size of sizes) {
    process.stderr.write(`training ${size} px on ${images} images…\n`);
    const r = await child<TrainResult>(['train', large, String(size), String(steps), backend]);
    json[`train${size}`] = r;
    rows.push(`| train ${size} px, ${r.images} images | ${r.peakRssMb} MB | load ${r.loadSeconds} s, step ${r.stepMs} ms |`);
  }
  process.stderr.write(`doctor on ${images} files…\n`);
  const d = await child<DoctorResult>(['doctor', large]);
  json.doctor = d;
  rows.push(`| doctor, ${d.files} files | ${d.peakRssMb} MB | ${d.seconds} s |`);
  process.stderr.write(`step time on ${compare} images, streamed vs in memory…\n`);
  const c = await child<CompareResult>(['compare', small, String(sizes[0]), String(steps), String(rounds), backend]);
  json.compare = c;
  const [s, m] = [median(c.streamedMs), median(c.inMemoryMs)];
  rows.push(
    `| step ${c.size} px, ${c.images} images: streamed / in memory | | ${s} / ${m} ms (${(((s! - m!) / m!) * 100).toFixed(1)} %) |`,
  );
  rows.push(`| one batch drawn, streamed / in memory | | ${c.batchMs.streamed} / ${c.batchMs.inMemory} ms |`);
  process.stdout.write(`| measurement | peak RSS | time |\n|---|---|---|\n${rows.join('\n')}\n\n${JSON.stringify(json, null, 2)}\n`);
}

async function runChild(): Promise<void> {
  const [, , , kind, dir, ...rest] = process.argv;
  const result =
    kind === 'train'
      ? await trainChild(dir!, Number(rest[0]), Number(rest[1]), rest[2] ?? '')
      : kind === 'compare'
        ? await compareChild(dir!, Number(rest[0]), Number(rest[1]), Number(rest[2]), rest[3] ?? '')
        : await doctorChild(dir!);
  process.stderr.write(`\nRESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

if (process.argv[2] === '--child') await runChild();
else await main();
