// Kernel overrides for tfjs-backend-wasm, measured on a 16×64×64×16 activation (bench/profile.ts):
// - Identity copies the tensor, and tfjs clones every tensor it saves for the backward pass through
//   Identity, so a step copied each activation once more (35 copies of the largest per GAN step).
//   Tensors are immutable, so the clone can share the buffer, as the cpu backend's Identity does.
// - LeakyRelu runs about 3× slower than Prelu, which computes the same x < 0 ? α·x : x.
import { tf } from './tf';

interface WasmBackend {
  incRef(dataId: tf.DataId): void;
  disposeData(dataId: tf.DataId): void;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

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

/** LeakyRelu through the Prelu kernel with a one-element slope; the tape still records LeakyRelu. */
function leakyReluAsPrelu(prelu: tf.KernelFunc): tf.KernelConfig {
  return {
    kernelName: tf.LeakyRelu,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as unknown as WasmBackend;
      const slope = wasm.makeOutput([1], 'float32');
      wasm.typedArrayFromHeap(slope)[0] = (attrs as unknown as tf.LeakyReluAttrs).alpha;
      const out = prelu({ inputs: { x: inputs.x, alpha: slope }, backend, attrs: {} }) as tf.TensorInfo;
      wasm.disposeData(slope.dataId);
      return out;
    },
  };
}

const installed = new Set<tf.KernelFunc>();

/** Replace wasm kernels by the ones above. Idempotent. */
export function installWasmKernels(): void {
  if (installed.has(tf.getKernel(tf.Identity, 'wasm')!.kernelFunc)) return;
  const prelu = tf.getKernel(tf.Prelu, 'wasm')!.kernelFunc;
  for (const config of [sharedIdentity, leakyReluAsPrelu(prelu)]) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    installed.add(config.kernelFunc);
  }
}
