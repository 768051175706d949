// Transposes that swap two adjacent axes run our row-copying kernel (assembly/swap-axes.ts):
// the generator's depth-to-space ([B, H, W, 2, 2, C] by [0, 1, 3, 2, 4, 5]) and its gradient, 3 of them
// per block and step. Other permutations, short rows and other dtypes stay on tfjs's kernel.
import { type Runner, splitRange } from './runner';
import { tf } from '../tf';
import { type WasmBackend, heapOffset } from './backend';

/** Rows shorter than one 16-byte move (a 2-D transpose's rows are single values) stay on tfjs's kernel. */
const MIN_ROW = 4;

/** For a permutation that swaps axes k and k + 1 and keeps the rest, k; else −1. */
export function swappedAxis(perm: number[]): number {
  const k = perm.findIndex((p, i) => p !== i);
  if (k < 0 || perm[k] !== k + 1 || perm[k + 1] !== k) return -1;
  return perm.every((p, i) => i === k || i === k + 1 || p === i) ? k : -1;
}

export function transposeKernel(runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { perm } = args.attrs as unknown as tf.TransposeAttrs;
    const k = swappedAxis(perm);
    const inner = tf.util.sizeFromShape(x.shape.slice(k + 2));
    if (k < 0 || x.dtype !== 'float32' || inner < MIN_ROW) return stock(args);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput(
      perm.map((p) => x.shape[p]!),
      'float32',
    );
    const [a, b] = [x.shape[k]!, x.shape[k + 1]!];
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k)) * b;
    const parts = splitRange(rows, 1, runner.threadsFor(rows * a * inner));
    runner.run('swapAxes', [heapOffset(backend, x), heapOffset(backend, out), a, b, inner], parts);
    return out;
  };
  return { kernelName: tf.Transpose, backendName: 'wasm', kernelFunc };
}
