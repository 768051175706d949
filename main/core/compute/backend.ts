// The compute backend ladder, tried in order at start-up: native TensorFlow with CUDA, native TensorFlow
// on the CPU, WebGPU on a real GPU, WebAssembly, pure JavaScript. The first that loads and runs an op wins.
import { createRequire } from 'node:module';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { UserError } from '../errors';
import { tf } from './tf';
import { installWasmGradPatch } from './gradients/patch';
import { installWasmKernels } from './wasm/kernels';
import { wasmThreadCount, withWasmThreads } from './wasm/threads';
import { adapterName, findAdapter, NoAdapter, type AdapterInfo } from './webgpu/adapter';
import { startWebgpu } from './webgpu/start';

export type BackendName = 'node-gpu' | 'node' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['node-gpu', 'node', 'webgpu', 'wasm', 'cpu'];

export interface BackendReport {
  active: BackendName;
  tfBackend: string;
  reasons: { name: BackendName; status: 'active' | 'skipped' | 'failed' | 'not tried'; detail: string }[];
  simd?: boolean;
  threads?: number;
  /** The WebGPU adapter, when webgpu is active. */
  adapter?: AdapterInfo;
}

// Optional dependencies: npm install succeeds without them (their install script downloads libtensorflow).
const NATIVE = {
  'node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', what: 'TensorFlow with CUDA 11.2 / cuDNN 8.1' },
  node: { pkg: '@tensorflow/tfjs-node', what: 'TensorFlow on the CPU' },
} as const;

/** Not installed: the rung is skipped rather than failed. */
class Absent extends Error {}

let current: { key: string; report: Promise<BackendReport> } | undefined;
let lastAdapter: AdapterInfo | undefined;

/** The WebGPU adapter computing now, for recipes; undefined on any other backend. */
export function activeAdapter(): AdapterInfo | undefined {
  return tf.getBackend() === 'webgpu' ? lastAdapter : undefined;
}

/**
 * Pick and activate a backend. `force` (else HOMEGROWN_BACKEND) names one backend to use or fail with.
 * `threads` starts wasm on that many threads instead of the count computing uses (`wasmThreadCount`).
 * Calling again with the same choice returns the same report; a different choice switches backend.
 */
export function initBackend(opts: { force?: string; threads?: number } = {}): Promise<BackendReport> {
  const force = (opts.force || process.env.HOMEGROWN_BACKEND || '').trim().toLowerCase();
  const key = `${force}/${opts.threads ?? ''}`;
  if (current?.key !== key) current = { key, report: choose(force, opts.threads) };
  return current.report;
}

async function choose(key: string, threads?: number): Promise<BackendReport> {
  if (key && !(BACKEND_NAMES as readonly string[]).includes(key)) {
    throw new UserError(`Unknown backend "${key}": valid names are ${BACKEND_NAMES.join(', ')}.`);
  }
  const forced = key as BackendName | '';
  const reasons: BackendReport['reasons'] = [];
  let active: BackendName | undefined;
  let adapter: AdapterInfo | undefined;
  for (const name of BACKEND_NAMES) {
    if (active || (forced && name !== forced)) {
      const detail = active ? `not needed: ${active} came first` : `backend forced to ${forced}`;
      reasons.push({ name, status: 'not tried', detail });
      continue;
    }
    try {
      const started = await activate(name, forced === name, threads);
      reasons.push({ name, status: 'active', detail: started.detail });
      adapter = started.adapter;
      active = name;
    } catch (err) {
      const detail = firstLine(err);
      if (forced) {
        throw new UserError(
          `Backend "${forced}" cannot start (${detail}); force another of ${BACKEND_NAMES.join(', ')} or force none to let Homegrown choose.`,
        );
      }
      reasons.push({ name, status: err instanceof Absent ? 'skipped' : 'failed', detail });
    }
  }
  if (!active) throw new Error(`No backend could start: ${reasons.map((r) => `${r.name}: ${r.detail}`).join('; ')}`);
  const report: BackendReport = { active, tfBackend: tf.getBackend(), reasons, ...(adapter && { adapter }) };
  if (adapter) lastAdapter = adapter;
  if (active === 'wasm') {
    installWasmGradPatch();
    report.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    report.threads = getThreadsCount();
    const { relaxed } = await installWasmKernels(report.threads);
    reasons.find((r) => r.name === 'wasm')!.detail +=
      `, SIMD ${report.simd ? 'on' : 'off'}, ${report.threads} thread(s), fused multiply-add ${relaxed ? 'on' : 'off'}`;
  }
  return report;
}

/** Make `name` the tfjs backend and prove it runs; says what is running. Throws Absent or the failure. */
async function activate(name: BackendName, forced: boolean, threads?: number): Promise<{ detail: string; adapter?: AdapterInfo }> {
  if (name === 'webgpu') return activateWebgpu(forced);
  return { detail: await activateOther(name, threads) };
}

/** A real GPU only, unless forced: on a software adapter wasm is faster. */
async function activateWebgpu(forced: boolean): Promise<{ detail: string; adapter: AdapterInfo }> {
  const found = await findAdapter().catch((err: unknown) => {
    throw err instanceof NoAdapter ? new Absent(err.message) : err;
  });
  const name = adapterName(found.info);
  if (found.info.software && !forced) {
    throw new Absent(`${name} is a software adapter, a CPU emulation slower than wasm (force it with --backend webgpu)`);
  }
  await startWebgpu(found);
  await use('webgpu');
  return { detail: `WebGPU on ${name}`, adapter: found.info };
}

async function activateOther(name: Exclude<BackendName, 'webgpu'>, wanted?: number): Promise<string> {
  if (name === 'wasm') {
    const threads = wanted ?? wasmThreadCount();
    try {
      await withWasmThreads(threads, () => use('wasm'));
    } catch (err) {
      if (threads === 1) throw err;
      await withWasmThreads(1, () => use('wasm'));
      return `WebAssembly (the ${threads}-thread build failed: ${firstLine(err)})`;
    }
    return 'WebAssembly';
  }
  if (name === 'cpu') {
    await use(name);
    return 'pure JavaScript, the slowest';
  }
  const { pkg, what } = NATIVE[name];
  try {
    createRequire(import.meta.url).resolve(pkg);
  } catch {
    throw new Absent(
      `${pkg} is not installed: it is an optional dependency whose install downloads libtensorflow from outside the npm registry, so use wasm`,
    );
  }
  await import(/* @vite-ignore */ pkg); // registers the 'tensorflow' backend
  await use('tensorflow');
  return `${what} via ${pkg}`;
}

async function use(tfBackend: string): Promise<void> {
  if (!(await tf.setBackend(tfBackend))) throw new Error(`tfjs backend '${tfBackend}' failed to initialise`);
  // Read back asynchronously: the webgpu backend cannot read synchronously in Node.
  const sum = tf.sum(tf.ones([2]));
  const two = (await sum.data())[0];
  sum.dispose();
  if (two !== 2) throw new Error(`tfjs backend '${tfBackend}' computed 1 + 1 = ${two}`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** The device that computes, in a few words: the GPU adapter, or the CPU with its threads. */
export function deviceName(r: BackendReport): string {
  if (r.adapter) return `${adapterName(r.adapter)}${r.adapter.software ? ', software' : ''}`;
  if (r.active === 'wasm') return `CPU, ${r.threads ?? 1} thread${r.threads === 1 ? '' : 's'}`;
  if (r.active === 'node-gpu') return 'GPU through CUDA';
  return r.active === 'node' ? 'CPU, native TensorFlow' : 'CPU, pure JavaScript';
}

/** Multi-line text for `homegrown info`: the active backend and why each other one is not in use. */
export function describeBackend(r: BackendReport): string {
  const width = Math.max(...r.reasons.map((x) => x.name.length));
  return [
    `Compute backend: ${r.active} (tfjs backend '${r.tfBackend}') on ${deviceName(r)}`,
    ...r.reasons.map((x) => `  ${x.name.padEnd(width)}  ${x.status.padEnd(9)}  ${x.detail}`),
  ].join('\n');
}
