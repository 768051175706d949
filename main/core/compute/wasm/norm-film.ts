// The generator block's pixel norm, FiLM and leaky ReLU as one wasm kernel forward and one backward
// (assembly/norm-film.ts). layers.ts runs it where it is registered and composes tfjs ops
// elsewhere; the gradient is registered with the kernels, since only this backend has the op.
import { floatBits, type Runner, splitRange } from './runner';
import { tf } from '../tf';
import { type WasmBackend, heapOffset } from './backend';

/** Inputs x [B, H, W, C], scale and shift [B, C]; output leakyRelu(pixelNorm(x) · scale + shift). */
export const NORM_FILM = 'HomegrownNormFilm';
/** Inputs dy, x, scale, shift; outputs [dx, dScale, dShift]. */
export const NORM_FILM_GRAD = 'HomegrownNormFilmGrad';

export interface NormFilmAttrs {
  alpha: number;
  eps: number;
}

/** The shapes both kernels share, checked, and the attributes as float32 bits. */
function geometry(x: tf.TensorInfo, scale: tf.TensorInfo, shift: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined) {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  for (const t of [x, scale, shift]) {
    if (t.dtype !== 'float32') throw new Error(`${NORM_FILM}: inputs must be float32, got ${t.dtype}`);
  }
  if (x.shape.length !== 4 || [scale, shift].some((t) => t.shape.join() !== `${b},${c}`)) {
    throw new Error(`${NORM_FILM}: x must be [B, H, W, C] and scale, shift [B, C]; got ${x.shape}, ${scale.shape}, ${shift.shape}`);
  }
  const { alpha, eps } = attrs as unknown as NormFilmAttrs;
  return { b, hw: h * w, c, attrBits: [floatBits(alpha), floatBits(eps)] };
}

export function normFilmKernels(runner: Runner): tf.KernelConfig[] {
  const forward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, scale, shift } = inputs as Record<'x' | 'scale' | 'shift', tf.TensorInfo>;
    const { b, hw, c, attrBits } = geometry(x, scale, shift, attrs);
    const wasm = backend as unknown as WasmBackend;
    const out = wasm.makeOutput(x.shape, 'float32');
    const at = (t: tf.TensorInfo) => heapOffset(wasm, t);
    const pixels = b * hw;
    runner.run(
      'normFilm',
      [at(x), at(scale), at(shift), at(out), c, hw, ...attrBits],
      splitRange(pixels, 1, runner.threadsFor(pixels * c)),
    );
    return out;
  };
  const backward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, x, scale, shift } = inputs as Record<'dy' | 'x' | 'scale' | 'shift', tf.TensorInfo>;
    const { b, hw, c, attrBits } = geometry(x, scale, shift, attrs);
    if (dy.dtype !== 'float32' || dy.shape.join() !== x.shape.join())
      throw new Error(`${NORM_FILM_GRAD}: dy must be float32 of shape ${x.shape}`);
    const wasm = backend as unknown as WasmBackend;
    const outs = [x, scale, shift].map((t) => wasm.makeOutput(t.shape, 'float32'));
    const at = (t: tf.TensorInfo) => heapOffset(wasm, t);
    // Split by image, so each image's sums over its pixels are one thread's.
    const parts = splitRange(b, 1, runner.threadsFor(b * hw * c));
    runner.run('normFilmGrad', [...[x, scale, shift, dy, ...outs].map(at), c, hw, ...attrBits], parts);
    return outs;
  };
  return [
    { kernelName: NORM_FILM, backendName: 'wasm', kernelFunc: forward },
    { kernelName: NORM_FILM_GRAD, backendName: 'wasm', kernelFunc: backward },
  ];
}

export const normFilmGrad: tf.GradConfig = {
  kernelName: NORM_FILM,
  inputsToSave: ['x', 'scale', 'shift'],
  gradFunc: (dy, saved, attrs) => {
    const [x, scale, shift] = saved as tf.Tensor[];
    const [dx, dScale, dShift] = tf
      .engine()
      .runKernel(NORM_FILM_GRAD, { dy: dy as tf.Tensor, x: x!, scale: scale!, shift: shift! }, attrs) as tf.Tensor[];
    return { x: () => dx!, scale: () => dScale!, shift: () => dShift! };
  },
};
