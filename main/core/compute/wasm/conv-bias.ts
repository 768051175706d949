// A conv layer's conv2d, bias and optional leaky ReLU as one kernel: our conv's sums start from the
// bias and pass the activation on the way out (assembly/conv2d.ts). As Conv2D, a broadcasting
// Add and LeakyRelu it took two more kernels and two more passes over every activation. layers.ts runs
// it where it is registered and the tfjs ops elsewhere; its gradient is the leaky ReLU's (from the
// output, which has the input's sign), then the Conv2D gradient (our patched one, gradients/patch.ts)
// and the bias's sum of dy.
import type { Runner } from './runner';
import { leakyReluBackward } from '../gradients/leaky-relu';
import { tf } from '../tf';
import type { WasmBackend } from './backend';
import { ourConv2d } from './conv2d';

/**
 * Inputs x [B, H, W, Ci], filter [kh, kw, Ci, Co], bias [Co]; attributes those of Conv2D (NHWC,
 * dilation 1) and ConvLayerAttrs.
 */
export const CONV2D_BIAS = 'HomegrownConv2DBias';

export interface ConvLayerAttrs {
  /** A leaky ReLU of this slope after the bias; none when absent. */
  leakyAlpha?: number;
}

export function conv2dBiasKernel(runner: Runner): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, filter, bias } = inputs as Record<'x' | 'filter' | 'bias', tf.TensorInfo>;
    const conv = attrs as unknown as tf.Conv2DAttrs & ConvLayerAttrs;
    if (conv.dataFormat !== 'NHWC' || !tf.backend_util.tupleValuesAreOne(conv.dilations)) {
      throw new Error(`${CONV2D_BIAS} takes NHWC tensors and dilation 1, got ${conv.dataFormat} and ${conv.dilations}`);
    }
    const co = filter.shape[3];
    if (
      [x, filter, bias].some((t) => t.dtype !== 'float32') ||
      x.shape.length !== 4 ||
      x.shape[3] !== filter.shape[2] ||
      bias.shape.join() !== `${co}`
    ) {
      throw new Error(
        `${CONV2D_BIAS}: x must be float32 [B, H, W, Ci], filter [kh, kw, Ci, Co] and bias [Co]; got ${x.shape}, ${filter.shape}, ${bias.shape}`,
      );
    }
    return ourConv2d(runner, backend as unknown as WasmBackend, x, filter, { bias, leakyAlpha: conv.leakyAlpha }, conv);
  };
  return { kernelName: CONV2D_BIAS, backendName: 'wasm', kernelFunc };
}

export const conv2dBiasGrad: tf.GradConfig = {
  kernelName: CONV2D_BIAS,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, out] = saved as tf.Tensor[];
    const { leakyAlpha } = attrs as unknown as ConvLayerAttrs;
    const d = leakyAlpha === undefined ? (dy as tf.Tensor) : leakyReluBackward(out!, dy as tf.Tensor, leakyAlpha);
    const conv = tf.getGradient(tf.Conv2D)!.gradFunc(d, [x!, filter!], attrs);
    return { ...conv, bias: () => tf.sum(d, [0, 1, 2]) };
  },
};
