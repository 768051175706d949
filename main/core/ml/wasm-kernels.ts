// Kernel overrides for tfjs-backend-wasm. Its Identity kernel copies the tensor; tfjs clones every
// tensor it saves for the backward pass through Identity, so a training step copied each activation
// once more (35 copies of the largest one per GAN step). Tensors are immutable, so the clone can share
// the buffer, as the cpu backend's Identity does.
import { tf } from './tf';

interface WasmBackend {
  incRef(dataId: tf.DataId): void;
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

/** Replace wasm kernels by the ones above. Idempotent. */
export function installWasmKernels(): void {
  if (tf.getKernel(tf.Identity, 'wasm')?.kernelFunc === sharedIdentity.kernelFunc) return;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel(sharedIdentity);
}
