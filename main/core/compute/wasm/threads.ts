// tfjs-backend-wasm 4.22 ships a multi-threaded SIMD build (XNNPACK on a pthread pool) but never uses it in
// Node, for three reasons this module works around while the backend initialises:
//  1. its WASM_HAS_MULTITHREAD_SUPPORT check answers false whenever it runs in Node (tfjs issue 3830);
//  2. it hands the pthread worker script to worker_threads as a blob: URL, which Node cannot load
//     (thread-worker.cjs is that worker for Node);
//  3. XNNPACK caps its threads at os.cpus().length / 2, assuming two hyper-threads per core, so a
//     2-core machine gets one thread.
// Threads split each kernel's output, not its sums, so results are the same bytes for any thread count.
import os from 'node:os';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { UserError } from '#core/errors';
import { runtimeEntry, unpacked } from '#core/files/app-root';
import { tf } from '../tf';

/** The backend's worker pool holds 8 pthreads; XNNPACK never uses more. */
export const MAX_WASM_THREADS = 8;

/**
 * HOMEGROWN_THREADS (1–8), else every core, unless the machine is already oversubscribed (1-minute
 * load above 1.5× the cores), then 1: XNNPACK's threads meet at a barrier after every kernel, so one
 * descheduled thread stalls the rest. Measured on 2 cores (bench/engine.ts, GAN 32 px): at load ≈ 2,
 * 2 threads 444/419 ms vs 1 thread 570/515 ms per step; at load 9–16, 2 threads were up to 2× slower.
 */
export function wasmThreadCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HOMEGROWN_THREADS?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
      throw new UserError(`HOMEGROWN_THREADS must be a whole number from 1 to ${MAX_WASM_THREADS}, got "${raw}".`);
    }
    return n;
  }
  const cores = Math.min(os.availableParallelism(), MAX_WASM_THREADS);
  return os.loadavg()[0]! > 1.5 * cores ? 1 : cores;
}

const WORKER = unpacked(runtimeEntry('main/core/compute/wasm/thread-worker.cjs', 'dist/app/wasm/thread-worker.cjs'));

/**
 * Runs `init` (which calls tf.setBackend('wasm')) so that the backend starts with `threads` threads.
 * Must run before the wasm backend's first initialisation: the thread pool is fixed from then on.
 */
export async function withWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  setThreadsCount(threads);
  if (threads === 1) return init();
  const { createObjectURL } = URL;
  const { cpus } = os;
  // The backend asks for a URL only for its worker script (an application/javascript Blob).
  URL.createObjectURL = (b: Blob) => (b.type === 'application/javascript' ? WORKER : createObjectURL(b));
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]!);
  };
  try {
    const result = await init();
    unrefWorkers();
    return result;
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}

/**
 * Emscripten refs a worker while it runs a pthread, and XNNPACK's pool threads never end, so Node would
 * never exit; the pool only serves the main thread's kernels, so it need not keep the process alive.
 */
function unrefWorkers(): void {
  type Pool = { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
  const pool = (tf.findBackend('wasm') as unknown as { wasm?: { PThread?: Pool } } | undefined)?.wasm?.PThread;
  for (const w of [...(pool?.runningWorkers ?? []), ...(pool?.unusedWorkers ?? [])]) w.unref();
}
