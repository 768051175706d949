// Loads the engine's own wasm kernels (assembly/, built by build.mjs) onto tfjs's wasm
// memory, so they read and write tensors in place, and runs a call split over this thread and helper
// threads (worker.cjs) when that memory is shared, as it is in tfjs's threaded build.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { runtimeEntry, unpacked } from '#core/files/app-root';

/** The module's exports, in the order helpers index them. */
export const KERNEL_NAMES = [
  'filterGrad',
  'conv2d',
  'packPanels',
  'adam',
  'sumRows',
  'leakyRelu',
  'broadcast',
  'normFilm',
  'normFilmGrad',
  'tanh',
  'swapAxes',
  'leakyReluGrad',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];
type KernelFn = (...args: number[]) => void;

/** The kernels (build/*.wasm) and worker.cjs: here in development, dist/app/wasm/ in the build. */
const DIR = runtimeEntry('main/core/compute/wasm/', 'dist/app/wasm/');
const MAX_ARGS = 24;
/** Below this many values an element-wise call stays on one thread: a helper's wake-up costs more. */
const SPLIT_VALUES = 1 << 16;

function kernelFile(name: string): Buffer {
  try {
    return readFileSync(path.join(DIR, 'build', name));
  } catch {
    throw new Error(`The engine's wasm kernels are not built (${name} is missing): run npm run build:kernels`);
  }
}

/**
 * Relaxed SIMD gives the kernels a fused multiply-add (about 1.3× faster). Node 20's V8 (11.3) has it
 * behind a flag, on by default from V8 11.4 (Chrome 114, so in Electron); the flag only adds opcodes.
 */
export function relaxedSimd(): boolean {
  const probe = kernelFile('kernels.relaxed.wasm');
  if (WebAssembly.validate(probe)) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(probe);
}

/** The compiled kernels for a shared or unshared memory, with relaxed SIMD (see relaxedSimd) or without. */
export function kernelModule(shared: boolean, relaxed: boolean): WebAssembly.Module {
  return new WebAssembly.Module(kernelFile(`kernels${shared ? '.shared' : ''}${relaxed ? '.relaxed' : ''}.wasm`));
}

/** [0, n) in at most `parts` ranges of whole `unit`s, as even as they can be, the rest in the last. */
export function splitRange(n: number, unit: number, parts: number): [number, number][] {
  const units = Math.floor(n / unit);
  const k = Math.max(1, Math.min(parts, units));
  const bound = (j: number) => (j === k ? n : unit * Math.floor((units * j) / k));
  return Array.from({ length: k }, (_, j) => [bound(j), bound(j + 1)]);
}

const bitsView = new Int32Array(1);
const floatView = new Float32Array(bitsView.buffer);

/** A number's float32 bits: kernels take float arguments as integers, since helper threads get those. */
export function floatBits(v: number): number {
  floatView[0] = v;
  return bitsView[0]!;
}

/** A helper thread and the shared words it is driven through (layout in worker.cjs). */
interface Helper {
  ctl: Int32Array;
  calls: number;
}

export interface Runner {
  memory: WebAssembly.Memory;
  relaxed: boolean;
  /** 1 + the helper threads. */
  threads: number;
  /** The threads worth splitting an element-wise call over `values` values between. */
  threadsFor(values: number): number;
  /** Runs `name` with `common` arguments followed by `parts[0]` here and `parts[k]` on helper k, and waits for all. */
  run(name: KernelName, common: number[], parts: number[][]): void;
  /** How many times each kernel has run: tests use it to show that ours, not tfjs's, computed a result. */
  calls: Record<KernelName, number>;
}

/** Loads the kernels on `memory`, with threads − 1 helpers if the memory is shared. */
export async function loadKernels(memory: WebAssembly.Memory, threads: number): Promise<Runner> {
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const relaxed = relaxedSimd();
  const module = kernelModule(shared, relaxed);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<KernelName, KernelFn>;
  // A call blocks this thread until its helpers finish, so a helper must be known to run before use.
  const helpers: Helper[] = await Promise.all(
    Array.from({ length: shared ? threads - 1 : 0 }, async () => {
      const control = new SharedArrayBuffer(4 * (4 + MAX_ARGS));
      const workerData = { kernels: module, names: KERNEL_NAMES, memory, control };
      const worker = new Worker(unpacked(path.join(DIR, 'worker.cjs')), { workerData });
      await once(worker, 'message');
      worker.unref(); // it waits between calls and must not keep the process alive
      return { ctl: new Int32Array(control), calls: 0 };
    }),
  );
  const calls = Object.fromEntries(KERNEL_NAMES.map((name) => [name, 0])) as Record<KernelName, number>;
  const run = (name: KernelName, common: number[], parts: number[][]) => {
    calls[name]++;
    const [mine, ...theirs] = parts;
    const busy = theirs.map((part, k) => {
      const h = helpers[k]!;
      const args = [...common, ...part];
      h.ctl.set([KERNEL_NAMES.indexOf(name), args.length, ...args], 2);
      Atomics.store(h.ctl, 0, ++h.calls);
      Atomics.notify(h.ctl, 0);
      return h;
    });
    try {
      exports[name](...common, ...mine!);
    } finally {
      for (const h of busy) {
        for (let v; (v = Atomics.load(h.ctl, 1)) !== h.calls;) {
          if (v === -h.calls) throw new Error('A wasm kernel thread failed (its error is printed above)');
          Atomics.wait(h.ctl, 1, v);
        }
      }
    }
  };
  const running = 1 + helpers.length;
  return { memory, relaxed, threads: running, threadsFor: (values) => (values < SPLIT_VALUES ? 1 : running), run, calls };
}
