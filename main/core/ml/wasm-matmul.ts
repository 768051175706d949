// Plain products with a large right operand run as 1×1 convolutions through our conv2d kernel
// (wasm-conv2d.ts). tfjs's wasm BatchMatMul builds an XNNPACK operator for each new right operand, and
// a dense layer's weights are new every step: [16, 4096] · [4096, 256] took 10.5 ms that way and 0.8 ms
// as a conv (bench/matmul.ts). Tall products, batched or transposed ones stay on tfjs's kernel.
import type { Runner } from './kernels/runner';
import { tf } from './tf';
import type { WasmBackend } from './wasm-backend';
import { MIN_CHANNELS, runConv2d } from './wasm-conv2d';

/**
 * Whether ours is the faster (bench/matmul.ts): XNNPACK packs every new right operand at about 10 ns a
 * value, which dominates products of few rows; ours runs short inner loops (k) and tall products slower.
 */
export function oursIsFaster(m: number, k: number): boolean {
  return m <= 32 ? k >= MIN_CHANNELS : m <= 128 && k >= 32;
}

export function batchMatMulKernel(runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[b.shape.length - 1]!;
    const unbatched = (t: tf.TensorInfo) => t.dtype === 'float32' && tf.util.sizeFromShape(t.shape.slice(0, -2)) === 1;
    const plain = !transposeA && !transposeB && unbatched(a) && unbatched(b);
    if (!plain || !oursIsFaster(m, k)) return stock(args);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
    // a's rows as m pixels of one by one with k channels, b as a 1×1 filter from k to n channels.
    runConv2d(runner, backend, a, b, out, m, [1, 1, k, 1, 1, n, 1, 1, 1, 1, 0, 0]);
    return out;
  };
  return { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc };
}
