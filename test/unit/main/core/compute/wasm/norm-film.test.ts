// The generator block's tail (layers.normFilmLrelu) as our fused wasm op gives the values and gradients
// of the tfjs ops it replaces, which the cpu backend still composes.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { normFilmLrelu } from '#core/ml/layers';
import type { Params } from '#core/ml/params';
import { tf } from '#core/compute/tf';
import { NORM_FILM, NORM_FILM_GRAD } from '#core/compute/wasm/norm-film';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

const rng = new Rng(12);
// Odd channel count (a SIMD remainder), and a block large enough to split over threads.
const SHAPES: [number, number, number, number][] = [
  [3, 5, 4, 19],
  [16, 16, 16, 64],
];
const STYLE = 24;
const data = SHAPES.map(([b, h, w, c]) => ({
  shape: [b, h, w, c] as [number, number, number, number],
  x: rng.normals(b * h * w * c),
  style: rng.normals(b * STYLE),
  weight: rng.normals(STYLE * 2 * c, 0.2),
  bias: rng.normals(2 * c, 0.2),
  dy: rng.normals(b * h * w * c),
}));

/** The output and the gradients of Σ out · dy for x, the style and the FiLM layer's weight and bias. */
function outputAndGrads(d: (typeof data)[number]): Float32Array[] {
  return tf.tidy(() => {
    const [b, , , c] = d.shape;
    const f = (x: tf.Tensor, style: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) =>
      normFilmLrelu({ 'film/w': w, 'film/b': bias } as unknown as Params, 'film', x as tf.Tensor4D, style as tf.Tensor2D);
    const inputs = [
      tf.tensor4d(d.x, d.shape),
      tf.tensor2d(d.style, [b, STYLE]),
      tf.tensor2d(d.weight, [STYLE, 2 * c]),
      tf.tensor1d(d.bias),
    ];
    const dy = tf.tensor4d(d.dy, d.shape);
    const out = f(...(inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]));
    const grads = tf.grads((x, s, w, bias) => tf.sum(tf.mul(f(x!, s!, w!, bias!), dy)))(inputs);
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('normFilmLrelu on wasm', () => {
  it('matches the composed ops on cpu, forward and backward', async () => {
    await initBackend({ force: 'cpu' });
    expect(tf.getKernel(NORM_FILM, 'cpu')).toBeUndefined();
    const composed = data.map(outputAndGrads);
    await initBackend({ force: 'wasm' });
    expect(tf.getKernel(NORM_FILM, 'wasm')).toBeDefined();
    const fused = data.map(outputAndGrads);
    const names = ['out', 'dx', 'dStyle', 'dWeight', 'dBias'];
    fused.forEach((got, i) => got.forEach((g, j) => expect(relError(g, composed[i]![j]!), `${SHAPES[i]} ${names[j]}`).toBeLessThan(1e-5)));
    // and the leaky ReLU's negative side is in play
    expect(fused[1]![0]!.some((v) => v < 0)).toBe(true);
  });

  it('leaves no tensors behind', async () => {
    await initBackend({ force: 'wasm' });
    const before = tf.backend().numDataIds();
    outputAndGrads(data[1]!);
    expect(tf.backend().numDataIds()).toBe(before);
  });

  it('rejects inputs of the wrong shape', async () => {
    await initBackend({ force: 'wasm' });
    const [x, s, bad] = [tf.zeros([2, 3, 3, 8]), tf.zeros([2, 8]), tf.zeros([2, 7])];
    const attrs = { alpha: 0.2, eps: 1e-8 };
    expect(() => tf.engine().runKernel(NORM_FILM, { x, scale: s, shift: bad }, attrs)).toThrow(
      /scale, shift \[B, C\]; got 2,3,3,8, 2,8, 2,7/,
    );
    expect(() => tf.engine().runKernel(NORM_FILM_GRAD, { dy: s, x, scale: s, shift: s }, attrs)).toThrow(
      /dy must be float32 of shape 2,3,3,8/,
    );
    tf.dispose([x, s, bad]);
  });
});
