// tfjs-backend-wasm has no Conv2DBackpropFilter kernel (tfjs issue 8474): this one runs ours
// (assembly/filter-grad.ts) in place on tfjs's memory, its channels split over the runner's threads.
import { type Runner, splitRange } from './runner';
import { type WasmBackend, heapOffset } from './backend';
import { tf } from '../tf';

type Shape4 = [number, number, number, number];

/** x and dy rows of one chunk should stay in the L2 cache (512 KiB per core on current x86). */
const CHUNK_BYTES = 192 * 1024;

/**
 * The channel ranges [i0, i1, o0, o1] of each thread: the output channels split in multiples of the
 * kernel's 8-wide tiles, or, when there are fewer than 16, the input channels in multiples of 4.
 */
export function splitChannels(ci: number, co: number, threads: number): number[][] {
  if (co >= 16) return splitRange(co, 8, threads).map((o) => [0, ci, ...o]);
  return splitRange(ci, 4, threads).map((i) => [...i, 0, co]);
}

export function filterGradKernel(runner: Runner): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm takes NHWC tensors, got ${dataFormat}`);
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm takes float32 tensors');
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
    const [batch, h, w, ci] = x.shape as Shape4;
    const [, ho, wo, co] = dy.shape as Shape4;
    if (dy.shape[0] !== batch || ho !== info.outHeight || wo !== info.outWidth || co !== filterShape[3] || ci !== filterShape[2]) {
      throw new Error(
        `Conv2DBackpropFilter: dy is ${dy.shape}, the conv of x ${x.shape} with a ${filterShape} filter gives ${info.outShape}`,
      );
    }
    const wasm = backend as unknown as WasmBackend;
    const out = wasm.makeOutput(filterShape, 'float32');
    const [sh, sw] = [info.strideHeight, info.strideWidth];
    const rows = Math.max(1, Math.floor(CHUNK_BYTES / (4 * (wo * co + sh * w * ci))));
    const parts = splitChannels(ci, co, runner.threads);
    // Each thread lists a chunk's runs (3 words each) in its own part of this.
    const lists = wasm.makeOutput([parts.length * 3 * rows], 'float32');
    const at = (t: tf.TensorInfo) => heapOffset(wasm, t);
    const geometry = [batch, h, w, ci, ho, wo, co, filterShape[0], filterShape[1], sh, sw, info.padInfo.top, info.padInfo.left];
    try {
      const mine = parts.map((ranges, k) => [at(lists) + 12 * rows * k, ...ranges]);
      runner.run('filterGrad', [at(x), at(dy), at(out), ...geometry, rows], mine);
    } finally {
      wasm.disposeData(lists.dataId);
    }
    return out;
  };
  return { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc };
}
