// Sum over every axis but the last (a bias gradient: dy summed over batch and pixels per channel) as our
// own wasm kernel (assembly/sum-rows.ts). tfjs's wasm Sum reduces innermost axes only, so for
// these it transposed the whole activation first: 274 ms of a 128 px GAN step (bench/profile.ts).
import { type Runner, splitRange } from './runner';
import { tf } from '../tf';
import { type WasmBackend, heapOffset } from './backend';

/** A thread's share is whole 16-column passes over the rows. */
const PASS_COLUMNS = 16;

export function sumKernel(runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
    const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !allButLast) return stock(args);
    const cols = x.shape[rank - 1]!;
    const rows = tf.util.sizeFromShape(x.shape) / cols;
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput(keepDims ? [...Array(rank - 1).fill(1), cols] : [cols], 'float32');
    const parts = splitRange(cols, PASS_COLUMNS, runner.threadsFor(rows * cols));
    runner.run('sumRows', [heapOffset(backend, x), heapOffset(backend, out), rows, cols], parts);
    return out;
  };
  return { kernelName: tf.Sum, backendName: 'wasm', kernelFunc };
}
