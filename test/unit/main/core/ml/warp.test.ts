import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { warp } from '#core/ml/warp';
import { Rng } from '#shared/rng';

const [B, H, W, C] = [2, 6, 7, 3];
const rng = new Rng(31);
const imageData = rng.normals(B * H * W * C);
// Fractional flows away from integer positions, where the bilinear weights have a defined gradient.
const flowData = Float32Array.from(rng.normals(B * H * W * 2), (v) => Math.round(v * 3) + 0.2 + 0.6 * rng.float());
const upstreamData = rng.normals(B * H * W * C);

function at(data: Float32Array, b: number, y: number, x: number, c: number): number {
  return data[((b * H + y) * W + x) * C + c]!;
}

/** d image and d flow of sum(warp(image, flow) · upstream) on the current backend. */
function warpGrads(): Float32Array[] {
  const image = tf.tensor4d(imageData, [B, H, W, C]);
  const flow = tf.tensor4d(flowData, [B, H, W, 2]);
  const up = tf.tensor4d(upstreamData, [B, H, W, C]);
  const grads = tf.grads((i, f) => warp(i as tf.Tensor4D, f as tf.Tensor4D))([image, flow], up);
  const out = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose([image, flow, up, ...grads]);
  return out;
}

let cpuGrads: Float32Array[];
beforeAll(async () => {
  await initBackend({ force: 'cpu' });
  cpuGrads = warpGrads();
  await initBackend({ force: 'wasm' });
});

describe('warp', () => {
  it('a whole-pixel flow translates the image (border pixels repeat)', () => {
    const image = tf.tensor4d(imageData, [B, H, W, C]);
    // out(y, x) = image(y − 1, x + 2): content moves down 1 and left 2.
    const flow = tf.tensor4d(
      Float32Array.from({ length: B * H * W * 2 }, (_, i) => (i % 2 === 0 ? 2 : -1)),
      [B, H, W, 2],
    );
    const out = warp(image, flow).dataSync() as Float32Array;
    for (let b = 0; b < B; b++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++)
          for (let c = 0; c < C; c++) {
            const want = at(imageData, b, Math.max(0, y - 1), Math.min(W - 1, x + 2), c);
            expect(at(out, b, y, x, c)).toBeCloseTo(want, 5);
          }
    tf.dispose([image, flow]);
  });

  it('a half-pixel flow averages the two neighbours; zero flow is the identity', () => {
    const image = tf.tensor4d(imageData, [B, H, W, C]);
    const half = tf.tensor4d(
      Float32Array.from({ length: B * H * W * 2 }, (_, i) => (i % 2 === 0 ? 0.5 : 0)),
      [B, H, W, 2],
    );
    const out = warp(image, half).dataSync() as Float32Array;
    expect(at(out, 1, 3, 2, 1)).toBeCloseTo((at(imageData, 1, 3, 2, 1) + at(imageData, 1, 3, 3, 1)) / 2, 5);
    const same = warp(image, tf.zerosLike(half) as tf.Tensor4D).dataSync();
    same.forEach((v, i) => expect(v).toBeCloseTo(imageData[i]!, 5));
    tf.dispose([image, half]);
  });

  it('gradients on wasm match the cpu backend', () => {
    const wasm = warpGrads();
    for (const k of [0, 1]) {
      const scale = Math.max(...cpuGrads[k]!.map(Math.abs));
      expect(scale).toBeGreaterThan(0.1);
      const err = Math.max(...wasm[k]!.map((v, i) => Math.abs(v - cpuGrads[k]![i]!)));
      expect(err / scale).toBeLessThan(1e-4);
    }
  });

  it('leaves no tensors behind', () => {
    const image = tf.tensor4d(imageData, [B, H, W, C]);
    const flow = tf.tensor4d(flowData, [B, H, W, 2]);
    const before = tf.memory().numTensors;
    warp(image, flow).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([image, flow]);
  });
});
