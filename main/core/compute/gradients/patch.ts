// Gradient overrides for tfjs-backend-wasm. The input gradient of an NHWC conv2d runs as a forward
// conv2d: wasm's Conv2DBackpropInput kernel is about 10× slower than its forward conv (XNNPACK). The
// filter gradient uses the Conv2DBackpropFilter kernel, which wasm lacks and wasm/filter-grad.ts adds.
// The gradient registry is global, so the overrides must be exact on every backend: they use only
// forward ops and kernels every backend has (plus Conv2DBackpropInput for NCHW).
import { flippedFilter, phaseFilter } from './filter-layout';
import { leakyReluGrad } from './leaky-relu';
import { batchMatMulGrad } from './matmul';
import { meanGrad, sumGrad } from './reduce';
import { tf } from '../tf';

type FilterShape = [number, number, number, number];
type Pad = tf.Conv2DAttrs['pad'];
type Rounding = tf.Conv2DAttrs['dimRoundingMode'];

/** dx of y = conv2d(x, W, strides, pad) (NHWC, dilation 1) given dy; the forms below are interchangeable. */
export type InputGrad = (
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: FilterShape,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
) => tf.Tensor4D;

/** The top-left h×w of x; wasm's Slice copies even when nothing is cut, so skip it then. */
function cropTo(x: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  return x.shape[1] === h && x.shape[2] === w ? x : tf.slice(x, [0, 0, 0, 0], [-1, h, w, -1]);
}

/** Inserts stride − 1 zeros between the rows and columns of dy: [B, h, w, C] → [B, (h−1)·sh+1, (w−1)·sw+1, C]. */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [b, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.slice(tf.reshape(spread, [b, h * sh, w * sw, c]) as tf.Tensor4D, [0, 0, 0, 0], [-1, (h - 1) * sh + 1, (w - 1) * sw + 1, -1]);
}

/**
 * dx of y = conv2d(x, W, strides, pad) (NHWC, dilation 1) given dy, as one forward conv: dy with zeros
 * inserted for the stride, convolved at stride 1 with W rotated 180° and its channel axes swapped,
 * padded so the result has x's size. Rows of x the forward pass never read get zero.
 */
export const conv2dInputGradDilated: InputGrad = (dy, filter, inputShape, strides, pad, dimRoundingMode) => {
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
  return tf.tidy(() => {
    const d = dilate(dy, info.strideHeight, info.strideWidth);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = inputShape[1] - d.shape[1] - top + kh - 1;
    const right = inputShape[2] - d.shape[2] - left + kw - 1;
    const flipped = flippedFilter(filter);
    // A negative pad means the forward conv skipped trailing input: compute over more, then crop.
    const padding: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ];
    return cropTo(tf.conv2d(d, flipped, 1, padding), inputShape[1], inputShape[2]);
  });
};

/**
 * Along one axis, output row s·q + r of dx sums W[k]·dy[q + c − j] over the taps k = k0 + s·j with
 * k0 = (r + pad) mod s and c = ⌊(r + pad) / s⌋. Each phase r is a stride-1 correlation of dy with its
 * taps reversed; `at` places phase r's taps in one shared window of `size` rows starting at dy row
 * q + `offset`, so all phases run as one conv.
 */
interface Phases {
  size: number;
  offset: number;
  /** [phase][window row] → kernel tap, or −1 where that phase has no tap. */
  taps: number[][];
}

function phases(k: number, s: number, pad: number): Phases {
  const each = Array.from({ length: s }, (_, r) => {
    const k0 = (r + pad) % s;
    const n = k0 < k ? Math.ceil((k - k0) / s) : 0;
    const c = Math.floor((r + pad) / s);
    return { k0, n, start: c - (n - 1) };
  });
  const used = each.filter((p) => p.n > 0);
  const offset = Math.min(...used.map((p) => p.start));
  const size = Math.max(...used.map((p) => p.start + p.n)) - offset;
  const taps = each.map(({ k0, n, start }) =>
    Array.from({ length: size }, (_, t) => {
      const j = n - 1 - (t - (start - offset)); // window row t reads dy[q + offset + t] = dy[q + c − j]
      return j >= 0 && j < n ? k0 + s * j : -1;
    }),
  );
  return { size, offset, taps };
}

/**
 * The same dx without multiplying inserted zeros (polyphase / sub-pixel form): one stride-1 conv of dy
 * with a filter holding each output phase's taps in its own channel block, then depth-to-space. For a
 * 3×3 stride-2 kernel it does 4 instead of 9 multiply-adds per output value and channel pair.
 */
export const conv2dInputGradPolyphase: InputGrad = (dy, filter, inputShape, strides, pad, dimRoundingMode) => {
  const [kh, kw, cin] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const ph = phases(kh, sh, info.padInfo.top);
  const pw = phases(kw, sw, info.padInfo.left);
  // Window (a, b), phase (rh, rw) → kernel tap, or −1 where that phase has no tap there.
  const taps: number[] = [];
  for (let a = 0; a < ph.size; a++)
    for (let b = 0; b < pw.size; b++)
      for (let rh = 0; rh < sh; rh++)
        for (let rw = 0; rw < sw; rw++) {
          const [th, tw] = [ph.taps[rh]![a]!, pw.taps[rw]![b]!];
          taps.push(th < 0 || tw < 0 ? -1 : th * kw + tw);
        }
  const [qh, qw] = [Math.ceil(inputShape[1] / sh), Math.ceil(inputShape[2] / sw)];
  return tf.tidy(() => {
    const w = phaseFilter(filter, ph.size, pw.size, sh * sw, taps);
    // Window rows before dy's first row or after its last read zeros: pad; rows past qh are cropped.
    const crop =
      ph.offset > 0 || pw.offset > 0 ? tf.slice(dy, [0, Math.max(0, ph.offset), Math.max(0, pw.offset), 0], [-1, -1, -1, -1]) : dy;
    const padding: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [Math.max(0, -ph.offset), Math.max(0, qh + ph.size - 1 - crop.shape[1] - Math.max(0, -ph.offset))],
      [Math.max(0, -pw.offset), Math.max(0, qw + pw.size - 1 - crop.shape[2] - Math.max(0, -pw.offset))],
      [0, 0],
    ];
    const y = cropTo(tf.conv2d(crop, w, 1, padding), qh, qw);
    const [b] = y.shape;
    const full = tf.reshape(tf.transpose(tf.reshape(y, [b, qh, qw, sh, sw, cin]), [0, 1, 3, 2, 4, 5]), [b, qh * sh, qw * sw, cin]);
    return cropTo(full as tf.Tensor4D, inputShape[1], inputShape[2]);
  });
};

/** dx of an NHWC conv2d: polyphase for strided convs (measured faster, bench/input-grad.ts), else dilated. */
export const conv2dInputGrad: InputGrad = (dy, filter, inputShape, strides, pad, dimRoundingMode) => {
  const strided = typeof strides === 'number' ? strides > 1 : strides[0] > 1 || strides[1] > 1;
  const grad = strided ? conv2dInputGradPolyphase : conv2dInputGradDilated;
  return grad(dy, filter, inputShape, strides, pad, dimRoundingMode);
};

/**
 * dW of a conv2d from the backend's Conv2DBackpropFilter kernel (on wasm our own, wasm/filter-grad.ts,
 * which takes NHWC only): NCHW tensors and explicit pads are moved to NHWC.
 */
function filterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: FilterShape,
  attrs: { strides: number | [number, number]; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: Rounding },
): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  const kernel = (x: tf.Tensor4D, dy: tf.Tensor4D, pad: Pad) => {
    const kernelAttrs: tf.Conv2DBackpropFilterAttrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode, filterShape };
    return tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, kernelAttrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  };
  if (dataFormat === 'NHWC') return kernel(x, dy, pad);
  const toNHWC = (t: tf.Tensor4D) => tf.transpose(t, [0, 2, 3, 1]);
  const nhwcPad: Pad = Array.isArray(pad) ? [pad[0], pad[2], pad[3], pad[1]] : pad;
  return tf.tidy(() => kernel(toNHWC(x), toNHWC(dy), nhwcPad));
}

const conv2dGrad: tf.GradConfig = {
  kernelName: tf.Conv2D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dyIn, saved, attrs) => {
    const dy = dyIn as tf.Tensor4D;
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as tf.Conv2DAttrs;
    if (!tf.backend_util.tupleValuesAreOne(a.dilations)) {
      throw new Error(`Gradient of conv2d supports dilation 1 only, got ${a.dilations}`);
    }
    const { strides, pad, dataFormat, dimRoundingMode } = a;
    const dxAttrs: tf.Conv2DBackpropInputAttrs = { strides, pad, dataFormat, dimRoundingMode, inputShape: x.shape };
    return {
      x: () =>
        dataFormat === 'NHWC'
          ? conv2dInputGrad(dy, filter, x.shape, strides, pad, dimRoundingMode)
          : tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, dxAttrs as unknown as tf.NamedAttrMap),
      filter: () => filterGrad(x, dy, filter.shape, a),
    };
  },
};

// conv2dTranspose is the Conv2DBackpropInput kernel: its output ddx plays the forward conv's input,
// its input dy the forward conv's output.
const conv2dTransposeGrad: tf.GradConfig = {
  kernelName: tf.Conv2DBackpropInput,
  inputsToSave: ['dy', 'filter'],
  gradFunc: (ddx, saved, attrs) => {
    const [dy, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const out = ddx as tf.Tensor4D;
    return {
      dy: () => tf.conv2d(out, filter, a.strides, a.pad, a.dataFormat, 1, a.dimRoundingMode),
      filter: () => filterGrad(out, dy, filter.shape, a),
    };
  },
};

/** Override the conv, matMul, leakyRelu, sum and mean gradients. Idempotent; call again if something re-registers the stock ones. */
export function installWasmGradPatch(): void {
  for (const config of [conv2dGrad, conv2dTransposeGrad, batchMatMulGrad, leakyReluGrad, sumGrad, meanGrad]) {
    if (tf.getGradient(config.kernelName) !== config) tf.registerGradient(config);
  }
}
