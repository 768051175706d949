// tfjs-backend-wasm has no Conv2DBackpropFilter kernel (tfjs issue 8474), so the stock gradients of
// conv2d and conv2dTranspose throw there. These overrides compute the filter gradient with a forward
// conv2d instead. The gradient registry is global, so they must be exact on every backend: they use
// only forward ops plus the Conv2DBackpropInput kernel that every backend has.
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
      // Same kernel as the stock gradient; wasm has it.
      x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter }, dxAttrs as unknown as tf.NamedAttrMap),
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
