// tfjs-backend-wasm has no Conv2DBackpropFilter kernel (tfjs issue 8474). This registers our own
// (kernels/assembly/filter-grad.ts, built by scripts/build-kernels.mjs). It runs in place on tfjs's wasm
// memory, with the output channels split between this thread and helper threads when tfjs is threaded.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { tf } from './tf';

type FilterGradFn = (...args: number[]) => void;

interface WasmBackend {
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

const KERNELS = new URL('./kernels/', import.meta.url);
/** Arguments before the channel ranges [i0, i1) and [o0, o1), which each thread gets its own of. */
const COMMON_ARGS = 17;
/** x and dy rows of one chunk should stay in the L2 cache (512 KiB per core on current x86). */
const CHUNK_BYTES = 192 * 1024;

/** A helper thread and the shared words it is driven through (layout in kernels/worker.cjs). */
interface Helper {
  ctl: Int32Array;
  calls: number;
}

interface Runner {
  memory: WebAssembly.Memory;
  relaxed: boolean;
  filterGrad: FilterGradFn;
  helpers: Helper[];
}

let runner: Runner | undefined;

function kernelFile(name: string): Buffer {
  try {
    return readFileSync(new URL(`build/${name}`, KERNELS));
  } catch {
    throw new Error(`The engine's wasm kernels are not built (${name} is missing): run npm run build:kernels`);
  }
}

/**
 * Relaxed SIMD gives the kernel a fused multiply-add (about 1.3× faster). Node 20's V8 (11.3) has it
 * behind a flag, on by default from V8 11.4 (Chrome 114, so in Electron); the flag only adds opcodes.
 */
export function relaxedSimd(): boolean {
  const probe = kernelFile('filter-grad.relaxed.wasm');
  if (WebAssembly.validate(probe)) return true;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(probe);
}

/** The compiled kernel for a shared or unshared memory, with relaxed SIMD (see relaxedSimd) or without. */
export function kernelModule(shared: boolean, relaxed: boolean): WebAssembly.Module {
  return new WebAssembly.Module(kernelFile(`filter-grad${shared ? '.shared' : ''}${relaxed ? '.relaxed' : ''}.wasm`));
}

async function load(memory: WebAssembly.Memory, threads: number): Promise<Runner> {
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const relaxed = relaxedSimd();
  const module = kernelModule(shared, relaxed);
  const { filterGrad } = new WebAssembly.Instance(module, { env: { memory } }).exports as { filterGrad: FilterGradFn };
  // Helpers need the memory shared, which tfjs's threaded build has.
  // A call blocks this thread until its helpers finish, so a helper must be known to run before use.
  const helpers = await Promise.all(
    Array.from({ length: shared ? threads - 1 : 0 }, async () => {
      const control = new SharedArrayBuffer(4 * (2 + COMMON_ARGS + 4));
      const worker = new Worker(new URL('worker.cjs', KERNELS), { workerData: { kernels: module, memory, control } });
      await once(worker, 'message');
      worker.unref(); // it waits between calls and must not keep the process alive
      return { ctl: new Int32Array(control), calls: 0 };
    }),
  );
  return { memory, relaxed, filterGrad, helpers };
}

/**
 * The channel ranges [i0, i1, o0, o1] of each thread: the output channels split in multiples of the
 * kernel's 8-wide tiles, or, when there are fewer than 16, the input channels in multiples of 4.
 */
export function splitChannels(ci: number, co: number, threads: number): number[][] {
  const [n, unit, onOutput] = co >= 16 ? [co, 8, true] : [ci, 4, false];
  const blocks = Math.floor(n / unit);
  const parts = Math.max(1, Math.min(threads, blocks));
  const bound = (k: number) => (k === parts ? n : unit * Math.floor((blocks * k) / parts));
  return Array.from({ length: parts }, (_, k) => (onOutput ? [0, ci, bound(k), bound(k + 1)] : [bound(k), bound(k + 1), 0, co]));
}

/** Runs filterGrad over this thread and the helpers (split by splitChannels) and waits for all. */
function run({ filterGrad, helpers }: Runner, common: number[], ci: number, co: number): void {
  const [mine, ...theirs] = splitChannels(ci, co, 1 + helpers.length);
  const busy = theirs.map((ranges, k) => {
    const h = helpers[k]!;
    h.ctl.set([...common, ...ranges], 2);
    Atomics.store(h.ctl, 0, ++h.calls);
    Atomics.notify(h.ctl, 0);
    return h;
  });
  try {
    filterGrad(...common, ...mine!);
  } finally {
    for (const h of busy) {
      for (let v; (v = Atomics.load(h.ctl, 1)) !== h.calls; ) {
        if (v === -h.calls) throw new Error('A wasm kernel thread failed (its error is printed above)');
        Atomics.wait(h.ctl, 1, v);
      }
    }
  }
}

const conv2dBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm takes NHWC tensors, got ${dataFormat}`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm takes float32 tensors');
  const info = tf.backend_util.computeConv2DInfo(x.shape as FilterShape, filterShape, strides, 1, pad, dimRoundingMode);
  const [batch, h, w, ci] = x.shape as FilterShape;
  const [, ho, wo, co] = dy.shape as FilterShape;
  if (dy.shape[0] !== batch || ho !== info.outHeight || wo !== info.outWidth || co !== filterShape[3] || ci !== filterShape[2]) {
    throw new Error(`Conv2DBackpropFilter: dy is ${dy.shape}, the conv of x ${x.shape} with a ${filterShape} filter gives ${info.outShape}`);
  }
  const wasm = backend as unknown as WasmBackend;
  const out = wasm.makeOutput(filterShape, 'float32');
  const at = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId).memoryOffset;
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const rows = Math.max(1, Math.floor(CHUNK_BYTES / (4 * (wo * co + sh * w * ci))));
  const geometry = [batch, h, w, ci, ho, wo, co, filterShape[0], filterShape[1], sh, sw, info.padInfo.top, info.padInfo.left];
  run(runner!, [at(x), at(dy), at(out), ...geometry, rows], ci, co);
  return out;
};

type FilterShape = [number, number, number, number];

/**
 * Registers the kernel on the active wasm backend, with `threads` threads when its memory is shared.
 * Idempotent; reloads when the backend was re-created. Returns whether it uses fused multiply-add.
 */
export async function installWasmFilterGrad(threads: number): Promise<{ relaxed: boolean }> {
  const { wasm } = tf.findBackend('wasm') as unknown as WasmBackend;
  const memory = wasm.wasmMemory ?? wasm.asm?.memory;
  if (!memory) throw new Error('The wasm backend exposes no memory for the filter-gradient kernel');
  if (runner?.memory !== memory) {
    runner = await load(memory, threads);
    if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
  }
  return { relaxed: runner.relaxed };
}
