// One Adam update of a parameter as one wasm kernel (assembly/adam.ts) instead of 13 element-wise
// ones: a GAN step updates about 60 parameter tensors, and on wasm each kernel costs its dispatch.
import { type Runner, splitRange } from './runner';
import { tf } from '../tf';
import { type WasmBackend, heapOffset } from './backend';

/** Inputs param, grad, m, v; outputs [param, m, v] updated. Registered on wasm only (see optim.ts). */
export const ADAM_UPDATE = 'HomegrownAdamUpdate';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  /** lr / (1 − beta1^t) */
  step: number;
  /** 1 − beta2^t */
  c2: number;
  eps: number;
}

export function adamKernel(runner: Runner): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { param, grad, m, v } = inputs as Record<'param' | 'grad' | 'm' | 'v', tf.TensorInfo>;
    for (const t of [grad, m, v]) {
      if (t.dtype !== 'float32' || t.shape.join() !== param.shape.join()) {
        throw new Error(`${ADAM_UPDATE}: every input must be float32 of shape ${param.shape}, got ${t.dtype} ${t.shape}`);
      }
    }
    const { beta1, beta2, step, c2, eps } = attrs as unknown as AdamUpdateAttrs;
    const wasm = backend as unknown as WasmBackend;
    const outs = [param, m, v].map((t) => wasm.makeOutput(t.shape, 'float32'));
    const hyper = wasm.makeOutput([7], 'float32');
    // The constants are rounded to float32 here, as tfjs rounds scalars it multiplies by.
    wasm.typedArrayFromHeap(hyper).set([beta1, 1 - beta1, beta2, 1 - beta2, step, c2, eps]);
    const at = (t: tf.TensorInfo) => heapOffset(wasm, t);
    const n = tf.util.sizeFromShape(param.shape);
    try {
      runner.run('adam', [...[param, grad, m, v, ...outs].map(at), at(hyper)], splitRange(n, 4, runner.threadsFor(n)));
    } finally {
      wasm.disposeData(hyper.dataId);
    }
    return outs;
  };
  return { kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc };
}
