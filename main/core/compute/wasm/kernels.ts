// Kernel overrides for tfjs-backend-wasm, measured on a 16×64×64×16 activation (bench/profile.ts):
// - Identity copies the tensor, and tfjs clones every tensor it saves for the backward pass through
//   Identity, so a step copied each activation once more (35 copies of the largest per GAN step).
//   Tensors are immutable, so the clone can share the buffer, as the cpu backend's Identity does.
// - LeakyRelu is scalar in tfjs's build (about 3× slower than its Prelu), and Tanh calls libm's scalar
//   tanh; ours are SIMD (assembly/leaky-relu.ts, tanh.ts), as is the leaky ReLU's gradient.
// - Conv2D and Conv2DBackpropFilter run our own kernels (wasm/conv2d.ts, wasm/filter-grad.ts), as do
//   conv layers with their bias (wasm/conv-bias.ts, an op of our own), plain products (wasm/matmul.ts),
//   Adam's update (wasm/adam.ts), sums over every axis but the last (wasm/sum.ts), transposes that
//   swap two axes (wasm/transpose.ts), broadcasting Add, Sub and Multiply (wasm/broadcast.ts), and the
//   generator block's norm, FiLM and leaky ReLU (wasm/norm-film.ts), an op of our own.
import { floatBits, type KernelName, loadKernels, type Runner, splitRange } from './runner';
import { LEAKY_RELU_GRAD } from '../gradients/leaky-relu';
import { tf } from '../tf';
import { adamKernel } from './adam';
import { broadcastKernel } from './broadcast';
import { type WasmBackend, backendMemory, heapOffset } from './backend';
import { conv2dBiasGrad, conv2dBiasKernel } from './conv-bias';
import { conv2dKernel } from './conv2d';
import { filterGradKernel } from './filter-grad';
import { batchMatMulKernel } from './matmul';
import { normFilmGrad, normFilmKernels } from './norm-film';
import { transposeKernel } from './transpose';
import { sumKernel } from './sum';

const sharedIdentity: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') throw new Error('Identity of string tensors is not used by the engine');
    (backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

/**
 * An element-wise float32 kernel of ours over inputs of one shape: `kernel` takes the inputs named in
 * `names`, then out, then `extra(attrs)`, then a range.
 */
function elementwise(
  kernelName: string,
  kernel: KernelName,
  runner: Runner,
  names: string[],
  extra: (attrs: tf.NamedAttrMap) => number[],
): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const ins = names.map((name) => inputs[name] as tf.TensorInfo);
      const shape = ins[0]!.shape;
      if (ins.some((t) => t.dtype !== 'float32' || t.shape.join() !== shape.join())) {
        throw new Error(
          `${kernelName} on wasm takes float32 ${names.join(' and ')} of one shape, got ${ins.map((t) => `${t.dtype} ${t.shape}`).join(' and ')}`,
        );
      }
      const wasm = backend as unknown as WasmBackend;
      const out = wasm.makeOutput(shape, 'float32');
      const n = tf.util.sizeFromShape(shape);
      const at = (t: tf.TensorInfo) => heapOffset(wasm, t);
      runner.run(kernel, [...ins.map(at), at(out), ...extra(attrs ?? {})], splitRange(n, 4, runner.threadsFor(n)));
      return out;
    },
  };
}

/** α as its float32 bits, for LeakyRelu and its gradient. */
const alphaBits = (attrs: tf.NamedAttrMap) => [floatBits((attrs as unknown as tf.LeakyReluAttrs).alpha)];

/** tfjs's own wasm kernels that ours fall back on, taken before the first override. */
let stock: Record<string, tf.KernelFunc> | undefined;
let runner: Runner | undefined;

function register(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

/** How many times each of our kernels has run since they were installed on the current wasm backend. */
export function kernelCalls(): Record<KernelName, number> {
  if (!runner) throw new Error('The wasm kernels are not installed');
  return { ...runner.calls };
}

/**
 * Replace wasm kernels by the ones above, our own on `threads` threads when the backend's memory is
 * shared. Idempotent; reloads ours when the backend was re-created. Says whether they fuse multiply-adds.
 */
export async function installWasmKernels(threads: number): Promise<{ relaxed: boolean }> {
  const kernel = (name: string) => tf.getKernel(name, 'wasm')!.kernelFunc;
  stock ??= Object.fromEntries(
    [tf.Conv2D, tf.BatchMatMul, tf.Sum, tf.Transpose, tf.Add, tf.Sub, tf.Multiply].map((name) => [name, kernel(name)]),
  );
  const memory = backendMemory(tf.findBackend('wasm') as unknown as WasmBackend);
  if (runner?.memory !== memory) {
    runner = await loadKernels(memory, threads);
    const ours = [
      conv2dKernel(runner, stock[tf.Conv2D]!),
      conv2dBiasKernel(runner),
      batchMatMulKernel(runner, stock[tf.BatchMatMul]!),
      filterGradKernel(runner),
      adamKernel(runner),
      ...normFilmKernels(runner),
      sumKernel(runner, stock[tf.Sum]!),
      transposeKernel(runner, stock[tf.Transpose]!),
      ...[tf.Add, tf.Sub, tf.Multiply].map((name) => broadcastKernel(name, runner!, stock![name]!)),
    ];
    const elementwiseOurs = [
      // LeakyRelu to the bit of tfjs's, and its gradient to the bit of dy·step(x, α) (assembly/leaky-relu.ts).
      elementwise(tf.LeakyRelu, 'leakyRelu', runner, ['x'], alphaBits),
      elementwise(LEAKY_RELU_GRAD, 'leakyReluGrad', runner, ['x', 'dy'], alphaBits),
      elementwise(tf.Tanh, 'tanh', runner, ['x'], () => []),
    ];
    for (const config of [sharedIdentity, ...elementwiseOurs, ...ours]) register(config);
    for (const grad of [normFilmGrad, conv2dBiasGrad]) if (tf.getGradient(grad.kernelName) !== grad) tf.registerGradient(grad);
  }
  return { relaxed: runner.relaxed };
}
