// Adam's update as one wasm kernel gives the bytes of the 13 tfjs kernels it replaces.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { adamApply, adamSlots } from '#core/ml/optim';
import { tf } from '#core/compute/tf';
import { ADAM_UPDATE } from '#core/compute/wasm/adam';
import { Rng } from '#shared/rng';

const hyper = { lr: 2e-4, beta1: 0.5, beta2: 0.99, eps: 1e-8 };

/** Three Adam steps on parameters of these sizes (odd ones, and one large enough to be split over threads). */
function train(sizes: number[], fused: boolean): Float32Array[] {
  const rng = new Rng(11);
  const vars = Object.fromEntries(sizes.map((n, i) => [`p${i}`, tf.tidy(() => tf.variable(tf.tensor1d(rng.normals(n))))]));
  const slots = adamSlots(vars);
  const kernel = tf.getKernel(ADAM_UPDATE, 'wasm')!;
  if (!fused) tf.unregisterKernel(ADAM_UPDATE, 'wasm');
  try {
    for (let t = 1; t <= 3; t++) {
      const grads = Object.fromEntries(sizes.map((n, i) => [`p${i}`, tf.tensor1d(rng.normals(n, 0.1 * t))]));
      adamApply(vars, grads, slots, hyper, t);
      tf.dispose(Object.values(grads));
    }
  } finally {
    if (!fused) tf.registerKernel(kernel);
  }
  const out = [...Object.values(vars), ...Object.values(slots)].map((v) => v.dataSync() as Float32Array);
  tf.dispose([...Object.values(vars), ...Object.values(slots)]);
  return out;
}

describe('Adam update on wasm', () => {
  it('gives the same bytes as the element-wise kernels, for any size and thread split', async () => {
    await initBackend({ force: 'wasm' });
    const sizes = [1, 7, 4099, 70001];
    const [fused, plain] = [train(sizes, true), train(sizes, false)];
    expect(fused.length).toBe(3 * sizes.length);
    fused.forEach((f, i) => expect(Buffer.from(f.buffer).equals(Buffer.from(plain[i]!.buffer)), `tensor ${i}`).toBe(true));
    // and the update moved the parameters
    expect(Math.max(...fused[3]!.map(Math.abs))).toBeGreaterThan(0);
  });

  it('leaves no tensors behind', async () => {
    await initBackend({ force: 'wasm' });
    const before = tf.backend().numDataIds();
    train([5, 70001], true);
    expect(tf.backend().numDataIds()).toBe(before);
  });

  it('rejects inputs of different shapes', async () => {
    await initBackend({ force: 'wasm' });
    const [p, g] = [tf.zeros([4]), tf.zeros([5])];
    expect(() => tf.engine().runKernel(ADAM_UPDATE, { param: p, grad: g, m: p, v: p }, {})).toThrow(/float32 of shape 4, got float32 5/);
    tf.dispose([p, g]);
  });
});
