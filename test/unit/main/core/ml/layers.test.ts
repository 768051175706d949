import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { resizeConv, upConv } from '#core/ml/layers';
import { heNormal, type Params } from '#core/ml/params';
import { Rng } from '#shared/rng';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

const weights = (shape: number[], seed: number): Params => ({
  'l/w': tf.variable(heNormal(new Rng(seed), shape, shape[0]! * shape[1]! * shape[2]!)),
  'l/b': tf.variable(tf.zeros([shape[3]!])),
});

/** How much the four 2×2 sub-pixel positions of an up-sampled flat image differ, away from the border. */
function checkerboard(y: tf.Tensor4D): number {
  const [, h, w, c] = y.shape;
  const d = y.dataSync();
  const at = (r: number, q: number, k: number) => d[(r * w + q) * c + k];
  let worst = 0;
  for (let r = 2; r < h - 2; r += 2)
    for (let q = 2; q < w - 2; q += 2)
      for (let k = 0; k < c; k++)
        worst = Math.max(worst, Math.abs(at(r, q, k)! - at(r + 1, q + 1, k)!), Math.abs(at(r, q, k)! - at(r, q + 1, k)!));
  return worst;
}

describe('up-sampling', () => {
  const flat = () => tf.fill([1, 8, 8, 3], 0.7) as tf.Tensor4D;

  it('resize-conv turns a flat image into a flat image, whatever its weights', () => {
    const p = weights([3, 3, 3, 5], 1);
    const y = tf.tidy(() => resizeConv(p, 'l', flat()));
    expect(y.shape).toEqual([1, 16, 16, 5]);
    expect(checkerboard(y)).toBeLessThan(1e-5);
  });

  it('sub-pixel conv with independent sub-kernels (as training leaves them) prints a 2×2 pattern on a flat image', () => {
    const p = weights([3, 3, 3, 20], 1);
    const y = tf.tidy(() => upConv(p, 'l', flat()));
    expect(y.shape).toEqual([1, 16, 16, 5]);
    expect(checkerboard(y)).toBeGreaterThan(0.05);
  });

  it('resize-conv is nearest-neighbour ×2 followed by the conv', () => {
    const p = weights([3, 3, 2, 4], 2);
    const x = tf.tensor4d(new Rng(3).normals(2 * 4 * 4 * 2), [2, 4, 4, 2]);
    const near = tf.tensor4d(
      Float32Array.from({ length: 2 * 8 * 8 * 2 }, (_, i) => {
        const [n, r, q, k] = [Math.floor(i / 128), Math.floor(i / 16) % 8, Math.floor(i / 2) % 8, i % 2];
        return x.dataSync()[((n * 4 + (r >> 1)) * 4 + (q >> 1)) * 2 + k]!;
      }),
      [2, 8, 8, 2],
    );
    const want = tf.conv2d(near, p['l/w'] as tf.Tensor4D, 1, 'same').dataSync();
    const got = resizeConv(p, 'l', x).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
  });
});
