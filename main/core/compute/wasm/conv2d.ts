// A forward conv2d for tfjs-backend-wasm (assembly/conv2d.ts) in place of XNNPACK's, which the
// engine's convs and conv input gradients all run through: with fused multiply-adds ours is faster on
// the engine's layers (bench/conv2d.ts). Inputs with fewer than 8 channels (images) stay on XNNPACK,
// except in conv layers with a bias (wasm/conv-bias.ts), where the step measured the same either way.
import { floatBits, type Runner, splitRange } from './runner';
import { type WasmBackend, heapOffset } from './backend';
import { tf } from '../tf';

type Shape4 = [number, number, number, number];

/** Below this many input channels a 4 × 8 tile's loop is too short to pay for its set-up. */
export const MIN_CHANNELS = 8;
/** The input one cache block of output pixels reads (measured best at about half the 512 KiB L2). */
const BLOCK_BYTES = 256 * 1024;

/** Where a conv's output pixels sit: [h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left] (conv2d's order). */
export type ConvGeometry = [number, number, number, number, number, number, number, number, number, number, number, number];

/** What a conv layer adds to the conv: a bias [co], then a leaky ReLU of this slope. */
export interface ConvExtras {
  bias?: tf.TensorInfo;
  leakyAlpha?: number;
}

/** Runs our conv2d of x [n, h, w, ci] with filter [kh, kw, ci, co], and the extras, into out, split by output pixels. */
export function runConv2d(
  runner: Runner,
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  { bias, leakyAlpha }: ConvExtras,
  out: tf.TensorInfo,
  n: number,
  geometry: ConvGeometry,
): void {
  const [h, w, ci, ho, wo, co, kh, kw, sh, sw] = geometry;
  const rows = kh * kw * ci;
  const panels = Math.ceil(co / 8);
  const packed = backend.makeOutput([panels * rows * 8], 'float32');
  // ci zeros for taps in the padding, then the bias padded with zeros to whole panels.
  const zeros = backend.makeOutput([ci + panels * 8], 'float32');
  const constants = backend.typedArrayFromHeap(zeros); // after the allocations, which may have grown the memory
  constants.fill(0);
  if (bias) constants.set(backend.typedArrayFromHeap(bias), ci);
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  const block = Math.max(4, 4 * Math.floor(BLOCK_BYTES / (16 * sh * sw * ci)));
  const activation = [leakyAlpha === undefined ? 0 : 1, floatBits(leakyAlpha ?? 0)];
  try {
    runner.run('packPanels', [at(filter), at(packed), rows, co], splitRange(panels, 1, runner.threads));
    // Each thread takes whole 4-pixel tiles.
    const pixels = splitRange(n * ho * wo, 4, runner.threads);
    runner.run(
      'conv2d',
      [at(x), at(packed), at(out), at(zeros), bias ? at(zeros) + 4 * ci : 0, ...activation, h, w, ...geometry.slice(2), block],
      pixels,
    );
  } finally {
    backend.disposeData(zeros.dataId);
    backend.disposeData(packed.dataId);
  }
}

/** Our conv2d (NHWC, dilation 1) of x with filter, and the extras, as a new output. */
export function ourConv2d(
  runner: Runner,
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  extras: ConvExtras,
  attrs: tf.Conv2DAttrs,
): tf.TensorInfo {
  const [n, h, w, ci] = x.shape as Shape4;
  const [kh, kw, , co] = filter.shape as Shape4;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const out = backend.makeOutput(info.outShape, 'float32');
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  runConv2d(runner, backend, x, filter, extras, out, n, [
    h,
    w,
    ci,
    info.outHeight,
    info.outWidth,
    co,
    kh,
    kw,
    sh,
    sw,
    padInfo.top,
    padInfo.left,
  ]);
  return out;
}

export function conv2dKernel(runner: Runner, stock: tf.KernelFunc): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.Conv2DAttrs;
    const ours = attrs.dataFormat === 'NHWC' && tf.backend_util.tupleValuesAreOne(attrs.dilations) && x.shape[3]! >= MIN_CHANNELS;
    return ours ? ourConv2d(runner, args.backend as unknown as WasmBackend, x, filter, {}, attrs) : stock(args);
  };
  return { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc };
}
