// A conv layer's conv2d and bias as one kernel, whose sums start from the bias (kernels/assembly/
// conv2d.ts): as a Conv2D and a broadcasting Add it took one more kernel and one more pass over every
// activation. layers.conv runs it where it is registered and the two tfjs ops elsewhere; its gradient
// is the Conv2D gradient (our patched one, wasm-grad-patch.ts) plus the bias's sum of dy.
import type { Runner } from './kernels/runner';
import { tf } from './tf';
import type { WasmBackend } from './wasm-backend';
import { ourConv2d } from './wasm-conv2d';

/** Inputs x [B, H, W, Ci], filter [kh, kw, Ci, Co], bias [Co]; attributes those of Conv2D (NHWC, dilation 1). */
export const CONV2D_BIAS = 'HomegrownConv2DBias';

export function conv2dBiasKernel(runner: Runner): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, filter, bias } = inputs as Record<'x' | 'filter' | 'bias', tf.TensorInfo>;
    const conv = attrs as unknown as tf.Conv2DAttrs;
    if (conv.dataFormat !== 'NHWC' || !tf.backend_util.tupleValuesAreOne(conv.dilations)) {
      throw new Error(`${CONV2D_BIAS} takes NHWC tensors and dilation 1, got ${conv.dataFormat} and ${conv.dilations}`);
    }
    const co = filter.shape[3];
    if ([x, filter, bias].some((t) => t.dtype !== 'float32') || x.shape.length !== 4 || x.shape[3] !== filter.shape[2] || bias.shape.join() !== `${co}`) {
      throw new Error(`${CONV2D_BIAS}: x must be float32 [B, H, W, Ci], filter [kh, kw, Ci, Co] and bias [Co]; got ${x.shape}, ${filter.shape}, ${bias.shape}`);
    }
    return ourConv2d(runner, backend as unknown as WasmBackend, x, filter, bias, conv);
  };
  return { kernelName: CONV2D_BIAS, backendName: 'wasm', kernelFunc };
}

export const conv2dBiasGrad: tf.GradConfig = {
  kernelName: CONV2D_BIAS,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const conv = tf.getGradient(tf.Conv2D)!.gradFunc(dy, saved, attrs);
    return { ...conv, bias: () => tf.sum(dy as tf.Tensor, [0, 1, 2]) };
  },
};
