// A forward conv2d for tfjs-backend-wasm (kernels/assembly/conv2d.ts) in place of XNNPACK's, which the
// engine's convs and conv input gradients all run through: with fused multiply-adds ours is faster on
// the engine's layers (bench/conv2d.ts). Inputs with fewer than 8 channels (images) stay on XNNPACK.
import { type Runner, splitRange } from './kernels/runner';
import { type WasmBackend, heapOffset } from './wasm-backend';
import { tf } from './tf';

type Shape4 = [number, number, number, number];

/** Below this many input channels a 4 × 8 tile's loop is too short to pay for its set-up. */
export const MIN_CHANNELS = 8;
/** The input one cache block of output pixels reads (measured best at about half the 512 KiB L2). */
const BLOCK_BYTES = 256 * 1024;

/** Where a conv's output pixels sit: [h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left] (conv2d's order). */
export type ConvGeometry = [number, number, number, number, number, number, number, number, number, number, number, number];

/** Runs our conv2d of x [n, h, w, ci] with filter [kh, kw, ci, co] into out, split by output pixels. */
export function runConv2d(runner: Runner, backend: WasmBackend, x: tf.TensorInfo, filter: tf.TensorInfo, out: tf.TensorInfo, n: number, geometry: ConvGeometry): void {
  const [h, w, ci, ho, wo, co, kh, kw, sh, sw] = geometry;
  const rows = kh * kw * ci;
  const panels = Math.ceil(co / 8);
  const packed = backend.makeOutput([panels * rows * 8], 'float32');
  const zeros = backend.makeOutput([ci], 'float32');
  backend.typedArrayFromHeap(zeros).fill(0); // after the allocations, which may have grown the memory
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  const block = Math.max(4, 4 * Math.floor(BLOCK_BYTES / (16 * sh * sw * ci)));
  try {
    runner.run('packPanels', [at(filter), at(packed), rows, co], splitRange(panels, 1, runner.threads));
    // Each thread takes whole 4-pixel tiles.
    const pixels = splitRange(n * ho * wo, 4, runner.threads);
    runner.run('conv2d', [at(x), at(packed), at(out), at(zeros), h, w, ...geometry.slice(2), block], pixels);
  } finally {
    backend.disposeData(zeros.dataId);
    backend.disposeData(packed.dataId);
  }
}

export function conv2dKernel(runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
    const [n, h, w, ci] = x.shape as Shape4;
    if (dataFormat !== 'NHWC' || !tf.backend_util.tupleValuesAreOne(dilations) || ci < MIN_CHANNELS) return stock(args);
    const [kh, kw, , co] = filter.shape as Shape4;
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
    const backend = args.backend as unknown as WasmBackend;
    const out = backend.makeOutput(info.outShape, 'float32');
    const { strideHeight: sh, strideWidth: sw, padInfo } = info;
    runConv2d(runner, backend, x, filter, out, n, [h, w, ci, info.outHeight, info.outWidth, co, kh, kw, sh, sw, padInfo.top, padInfo.left]);
    return out;
  };
  return { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc };
}
