// Conv layers (layers.conv, convLrelu) as our conv-layer op on wasm give the values and gradients of the
// Conv2D + Add (+ LeakyRelu) the cpu backend composes, at both strides, on 3-channel and wider inputs,
// and tiled.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { conv, convLrelu } from '#core/ml/layers';
import type { Params } from '#core/ml/params';
import { tf } from '#core/compute/tf';
import { CONV2D_BIAS } from '#core/compute/wasm/conv-bias';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

const rng = new Rng(5);
// [x shape, k, co, stride, tiling, leaky]: 3 input channels (below our conv's usual minimum), odd co,
// stride 2, each with and without the leaky ReLU.
const LAYERS: [[number, number, number, number], number, number, 1 | 2, 'xy' | undefined, boolean][] = [
  [[2, 8, 8, 3], 3, 16, 1, undefined, false],
  [[3, 9, 7, 16], 3, 13, 2, undefined, false],
  [[2, 8, 8, 16], 3, 20, 1, 'xy', false],
  [[2, 8, 8, 3], 3, 16, 2, undefined, true],
  [[3, 9, 7, 16], 3, 13, 2, undefined, true],
  [[2, 8, 8, 16], 3, 20, 1, 'xy', true],
];
const data = LAYERS.map(([shape, k, co, stride, tiling, leaky]) => ({
  shape,
  k,
  co,
  stride,
  tiling,
  leaky,
  x: rng.normals(shape.reduce((a, b) => a * b)),
  w: rng.normals(k * k * shape[3] * co, 0.3),
  b: rng.normals(co),
}));

/** The layer's output and the gradients of Σ out · dy for x, the filter and the bias. */
function layer(d: (typeof data)[number]): Float32Array[] {
  return tf.tidy(() => {
    const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      (d.leaky ? convLrelu : conv)({ 'c/w': w, 'c/b': b } as unknown as Params, 'c', x as tf.Tensor4D, d.stride, d.tiling);
    const inputs = [tf.tensor4d(d.x, d.shape), tf.tensor4d(d.w, [d.k, d.k, d.shape[3], d.co]), tf.tensor1d(d.b)] as const;
    const out = f(...inputs);
    const dy = tf.randomNormal(out.shape, 0, 1, 'float32', 7);
    const grads = tf.grads((x, w, b) => tf.sum(tf.mul(f(x!, w!, b!), dy)))([...inputs]);
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('conv layers on wasm', () => {
  it('match Conv2D + Add on cpu, forward and backward', async () => {
    await initBackend({ force: 'cpu' });
    expect(tf.getKernel(CONV2D_BIAS, 'cpu')).toBeUndefined();
    const want = data.map(layer);
    await initBackend({ force: 'wasm' });
    expect(tf.getKernel(CONV2D_BIAS, 'wasm')).toBeDefined();
    const got = data.map(layer);
    const names = ['out', 'dx', 'dFilter', 'dBias'];
    got.forEach((g, i) => g.forEach((t, j) => expect(relError(t, want[i]![j]!), `${LAYERS[i]} ${names[j]}`).toBeLessThan(1e-5)));
    // the leaky layers' negative side is in play
    expect(got[4]![0]!.some((v) => v < 0) && got[4]![0]!.some((v) => v > 0)).toBe(true);
  });

  it('leaves no tensors behind', async () => {
    await initBackend({ force: 'wasm' });
    const before = tf.backend().numDataIds();
    layer(data[1]!);
    expect(tf.backend().numDataIds()).toBe(before);
  });

  it('rejects a bias that does not fit the filter', async () => {
    await initBackend({ force: 'wasm' });
    const [x, filter, bias] = [tf.zeros([1, 4, 4, 8]), tf.zeros([3, 3, 8, 5]), tf.zeros([4])];
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 };
    expect(() => tf.engine().runKernel(CONV2D_BIAS, { x, filter, bias }, attrs)).toThrow(/bias \[Co\]; got 1,4,4,8, 3,3,8,5, 4/);
    tf.dispose([x, filter, bias]);
  });
});
