// What the kernel tests share: a conv layer's geometry, the compiled variants, a fresh memory for each.
import { kernelModule, relaxedSimd } from '#core/compute/wasm/runner';

export interface Conv {
  label: string;
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: [number, number];
  /** Padding before the first row and column; the output size follows from `out`. */
  top: number;
  left: number;
  out: [number, number];
}

export const VARIANTS = [false, true].flatMap((shared) =>
  [false, true].map(
    (relaxed) => [`${shared ? 'shared' : 'unshared'} memory, ${relaxed ? 'relaxed' : 'plain'} SIMD`, { shared, relaxed }] as const,
  ),
);

type KernelFn = (...args: number[]) => void;

/** The kernels instantiated on a fresh memory, and a float view of it. */
export function instantiate(shared: boolean, relaxed: boolean): { kernels: Record<string, KernelFn>; heap: Float32Array } {
  relaxedSimd(); // Node 20 needs the flag it sets before a relaxed module compiles
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared });
  const kernels = new WebAssembly.Instance(kernelModule(shared, relaxed), { env: { memory } }).exports as Record<string, KernelFn>;
  return { kernels, heap: new Float32Array(memory.buffer) };
}

export function maxAbsDiff(got: Float32Array, want: Float64Array): number {
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
  return err;
}
