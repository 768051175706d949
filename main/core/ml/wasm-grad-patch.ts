// tfjs-backend-wasm has no Conv2DBackpropFilter kernel (tfjs issue 8474), so the stock gradients of
// conv2d and conv2dTranspose throw there. These overrides compute the filter gradient with a forward
// conv2d instead, and the input gradient of an NHWC conv2d too: wasm's Conv2DBackpropInput kernel is
// about 10× slower than its forward conv (XNNPACK). The gradient registry is global, so they must be
// exact on every backend: they use only forward ops (plus Conv2DBackpropInput for NCHW).
import { tf } from './tf';

type FilterShape = [number, number, number, number];
type Pad = tf.Conv2DAttrs['pad'];
type Rounding = tf.Conv2DAttrs['dimRoundingMode'];

/**
 * dW of y = conv2d(x, W, strides, pad) (NHWC, dilation 1) given dy. With x padded as the forward pass
 * pads it, dW[a,b,i,o] = Σ_{n,p,q} x[n, p·s+a, q·s+b, i] · dy[n,p,q,o]: a stride-1 conv of x (batch and
 * channels swapped) with dy as the filter, dilated by the forward stride, then cropped to the kernel.
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: FilterShape,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth) {
    throw new Error(`conv2dFilterGrad: dy is ${dy.shape}, the forward conv gives ${info.outShape}`);
  }
  const { top, bottom, left, right } = info.padInfo;
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [in, H, W, batch]: batch becomes the summed axis
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [outH, outW, batch, out] used as the filter
    const padding: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    const g = tf.conv2d(xT, dyT, 1, padding, 'NHWC', [info.strideHeight, info.strideWidth]);
    // Rows and columns the forward pass never reached (e.g. 'valid' with stride 2) make g larger.
    const cropped = tf.slice(g, [0, 0, 0, 0], [-1, filterShape[0], filterShape[1], -1]);
    return tf.transpose(cropped, [1, 2, 0, 3]);
  });
}

/** Inserts stride − 1 zeros between the rows and columns of dy: [B, h, w, C] → [B, (h−1)·sh+1, (w−1)·sw+1, C]. */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [b, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [b, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.slice(tf.reshape(spread, [b, h * sh, w * sw, c]) as tf.Tensor4D, [0, 0, 0, 0], [-1, (h - 1) * sh + 1, (w - 1) * sw + 1, -1]);
}

/**
 * dx of y = conv2d(x, W, strides, pad) (NHWC, dilation 1) given dy, as one forward conv: dy with zeros
 * inserted for the stride, convolved at stride 1 with W rotated 180° and its channel axes swapped,
 * padded so the result has x's size. Rows of x the forward pass never read get zero.
 */
export function conv2dInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: FilterShape,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
  return tf.tidy(() => {
    const d = dilate(dy, info.strideHeight, info.strideWidth);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = inputShape[1] - d.shape[1] - top + kh - 1;
    const right = inputShape[2] - d.shape[2] - left + kw - 1;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    // A negative pad means the forward conv skipped trailing input: compute over more, then crop.
    const padding: tf.backend_util.ExplicitPadding = [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]];
    const dx = tf.conv2d(d, flipped, 1, padding);
    return tf.slice(dx, [0, 0, 0, 0], [-1, inputShape[1], inputShape[2], -1]);
  });
}

/** conv2dFilterGrad for either data format: NCHW tensors and explicit pads are moved to NHWC. */
function filterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: FilterShape,
  attrs: { strides: number | [number, number]; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: Rounding },
): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode } = attrs;
  if (dataFormat === 'NHWC') return conv2dFilterGrad(x, dy, filterShape, strides, pad, dimRoundingMode);
  const toNHWC = (t: tf.Tensor4D) => tf.transpose(t, [0, 2, 3, 1]);
  const nhwcPad: Pad = Array.isArray(pad) ? [pad[0], pad[2], pad[3], pad[1]] : pad;
  return tf.tidy(() => conv2dFilterGrad(toNHWC(x), toNHWC(dy), filterShape, strides, nhwcPad, dimRoundingMode));
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

/** Override the conv gradients. Idempotent; call again if something re-registers the stock ones. */
export function installWasmGradPatch(): void {
  for (const config of [conv2dGrad, conv2dTransposeGrad]) {
    if (tf.getGradient(config.kernelName) !== config) tf.registerGradient(config);
  }
}
