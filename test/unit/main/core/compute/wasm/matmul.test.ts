// Products on wasm, through our 1×1-conv kernel (wasm/matmul.ts), give the cpu backend's values, forward
// and through a dense layer's gradient.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { kernelCalls } from '#core/compute/wasm/kernels';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

const rng = new Rng(21);
// [m, k, n]: odd m and n leave partial 4-row tiles and 8-column panels; a large layer is split over
// threads; k = 4 is below our kernel's minimum and stays on tfjs's.
const PRODUCTS: [number, number, number][] = [
  [16, 24, 64],
  [5, 300, 70],
  [32, 4096, 256],
  [600, 64, 40],
  [128, 4, 512],
];
const data = PRODUCTS.map(([m, k, n]) => ({ m, k, n, a: rng.normals(m * k), b: rng.normals(k * n), dy: rng.normals(m * n) }));

/** a·b, and the gradients of Σ (a·b + bias) · dy for a and b, as 2-D and as batch-of-one 3-D products. */
function products(d: (typeof data)[number]): Float32Array[] {
  return tf.tidy(() => {
    const [a, b, dy] = [tf.tensor2d(d.a, [d.m, d.k]), tf.tensor2d(d.b, [d.k, d.n]), tf.tensor2d(d.dy, [d.m, d.n])];
    const batched = tf.matMul(tf.reshape(a, [1, d.m, d.k]) as tf.Tensor3D, tf.reshape(b, [1, d.k, d.n]) as tf.Tensor3D);
    const grads = tf.grads((x, w) => tf.sum(tf.mul(tf.add(tf.matMul(x!, w!), 1), dy)))([a, b]);
    return [tf.matMul(a, b), batched, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('matMul on wasm', () => {
  it('matches the cpu backend, forward and through the gradient', async () => {
    await initBackend({ force: 'cpu' });
    const want = data.map(products);
    await initBackend({ force: 'wasm' });
    const got = data.map((d) => {
      const before = kernelCalls().conv2d;
      const out = products(d);
      // a·b, its batched form and the gradient's forward pass sum over k, da over n, db over m: each sum of 8
      // or more runs our 1×1-conv kernel.
      const ours = 3 * Number(d.k >= 8) + Number(d.n >= 8) + Number(d.m >= 8);
      expect(kernelCalls().conv2d - before, `our kernel's runs for ${d.m}×${d.k}×${d.n}`).toBe(ours);
      return out;
    });
    const names = ['a·b', 'batched a·b', 'da', 'db'];
    got.forEach((g, i) => g.forEach((t, j) => expect(relError(t, want[i]![j]!), `${PRODUCTS[i]} ${names[j]}`).toBeLessThan(1e-5)));
  });

  it('leaves no tensors behind', async () => {
    await initBackend({ force: 'wasm' });
    const before = tf.backend().numDataIds();
    products(data[2]!);
    expect(tf.backend().numDataIds()).toBe(before);
  });
});
