// Plain products run as 1×1 convolutions through our conv2d kernel (wasm/conv2d.ts). tfjs's wasm
// BatchMatMul builds an XNNPACK operator for each new right operand, packing it at about 10 ns a value,
// and a dense layer's weights are new every step: [16, 4096] · [4096, 256] took 12.6 ms that way and
// 2.5 ms as a conv (bench/matmul.ts). Alone, tall products with short inner loops run 0.6–0.8× as fast
// as XNNPACK's, but in a training step tfjs's kernel is slower than alone: routing those to ours too
// took the 32 px step from 174 / 185 to 158 / 171 ms (alternating bench/engine.ts runs). Batched and
// transposed products stay on tfjs's kernel.
import type { Runner } from './runner';
import { tf } from '../tf';
import type { WasmBackend } from './backend';
import { MIN_CHANNELS, runConv2d } from './conv2d';

export function batchMatMulKernel(runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const [m, k] = a.shape.slice(-2) as [number, number];
    const n = b.shape[b.shape.length - 1]!;
    const unbatched = (t: tf.TensorInfo) => t.dtype === 'float32' && tf.util.sizeFromShape(t.shape.slice(0, -2)) === 1;
    const plain = !transposeA && !transposeB && unbatched(a) && unbatched(b);
    if (!plain || k < MIN_CHANNELS) return stock(args);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], 'float32');
    // a's rows as m pixels of one by one with k channels, b as a 1×1 filter from k to n channels.
    runConv2d(runner, backend, a, b, {}, out, m, [1, 1, k, 1, 1, n, 1, 1, 1, 1, 0, 0]);
    return out;
  };
  return { kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc };
}
