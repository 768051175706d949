// The compute backend ladder, tried in order at start-up: native TensorFlow with CUDA, native TensorFlow
// on the CPU, WebAssembly, pure JavaScript. The first that loads and runs an op wins.
import { createRequire } from 'node:module';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { UserError } from '../errors';
import { tf } from './tf';
import { installWasmGradPatch } from './gradients/patch';
import { installWasmKernels } from './wasm/kernels';
import { wasmThreadCount, withWasmThreads } from './wasm/threads';

export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['node-gpu', 'node', 'wasm', 'cpu'];

export interface BackendReport {
  active: BackendName;
  tfBackend: string;
  reasons: { name: BackendName; status: 'active' | 'skipped' | 'failed' | 'not tried'; detail: string }[];
  simd?: boolean;
  threads?: number;
}

// Optional dependencies: npm install succeeds without them (their install script downloads libtensorflow).
const NATIVE = {
  'node-gpu': { pkg: '@tensorflow/tfjs-node-gpu', what: 'TensorFlow with CUDA 11.2 / cuDNN 8.1' },
  node: { pkg: '@tensorflow/tfjs-node', what: 'TensorFlow on the CPU' },
} as const;

/** Not installed: the rung is skipped rather than failed. */
class Absent extends Error {}

let current: { key: string; report: Promise<BackendReport> } | undefined;

/**
 * Pick and activate a backend. `force` (else HOMEGROWN_BACKEND) names one backend to use or fail with.
 * Calling again with the same choice returns the same report; a different choice switches backend.
 */
export function initBackend(opts: { force?: string } = {}): Promise<BackendReport> {
  const key = (opts.force || process.env.HOMEGROWN_BACKEND || '').trim().toLowerCase();
  if (current?.key !== key) current = { key, report: choose(key) };
  return current.report;
}

async function choose(key: string): Promise<BackendReport> {
  if (key && !(BACKEND_NAMES as readonly string[]).includes(key)) {
    throw new UserError(`Unknown backend "${key}": valid names are ${BACKEND_NAMES.join(', ')}.`);
  }
  const forced = key as BackendName | '';
  const reasons: BackendReport['reasons'] = [];
  let active: BackendName | undefined;
  for (const name of BACKEND_NAMES) {
    if (active || (forced && name !== forced)) {
      const detail = active ? `not needed: ${active} came first` : `backend forced to ${forced}`;
      reasons.push({ name, status: 'not tried', detail });
      continue;
    }
    try {
      reasons.push({ name, status: 'active', detail: await activate(name) });
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
  const report: BackendReport = { active, tfBackend: tf.getBackend(), reasons };
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

/** Make `name` the tfjs backend and prove it runs; returns what is running. Throws Absent or the failure. */
async function activate(name: BackendName): Promise<string> {
  if (name === 'wasm') {
    const threads = wasmThreadCount();
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
  const two = tf.tidy(() => tf.sum(tf.ones([2])).dataSync()[0]);
  if (two !== 2) throw new Error(`tfjs backend '${tfBackend}' computed 1 + 1 = ${two}`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** Multi-line text for `homegrown info`: the active backend and why each other one is not in use. */
export function describeBackend(r: BackendReport): string {
  const width = Math.max(...r.reasons.map((x) => x.name.length));
  return [
    `Compute backend: ${r.active} (tfjs backend '${r.tfBackend}')`,
    ...r.reasons.map((x) => `  ${x.name.padEnd(width)}  ${x.status.padEnd(9)}  ${x.detail}`),
  ].join('\n');
}
