// Our conv2d kernel registered on tfjs's wasm backend, against the cpu backend's conv2d.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { kernelCalls } from '#core/compute/wasm/kernels';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

type Shape4 = [number, number, number, number];
type Pad = tf.Conv2DAttrs['pad'];

// GAN-like layers (one with 3 output channels), and two that stay on XNNPACK: an image input (fewer than
// MIN_CHANNELS) and a dilated conv.
const layers: { x: Shape4; filter: Shape4; stride: number; pad: Pad; dilation?: number; ours: boolean }[] = [
  { x: [4, 16, 16, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'same', ours: true },
  { x: [4, 8, 8, 32], filter: [3, 3, 32, 64], stride: 1, pad: 'same', ours: true },
  { x: [4, 16, 16, 16], filter: [3, 3, 16, 3], stride: 1, pad: 'same', ours: true },
  {
    x: [3, 9, 7, 24],
    filter: [2, 2, 24, 40],
    stride: 1,
    pad: [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
    ],
    ours: true,
  },
  { x: [2, 11, 11, 12], filter: [5, 5, 12, 20], stride: 2, pad: 'valid', ours: true },
  { x: [4, 16, 16, 3], filter: [3, 3, 3, 16], stride: 1, pad: 'same', ours: false },
  { x: [2, 12, 12, 16], filter: [3, 3, 16, 16], stride: 1, pad: 'same', dilation: 2, ours: false },
];

const rng = new Rng(5);
const data = layers.map((l) => ({ x: rng.normals(l.x.reduce((a, b) => a * b)), w: rng.normals(l.filter.reduce((a, b) => a * b)) }));

function conv(i: number): Float32Array {
  const l = layers[i]!;
  return tf.tidy(() => {
    const y = tf.conv2d(tf.tensor4d(data[i]!.x, l.x), tf.tensor4d(data[i]!.w, l.filter), l.stride, l.pad, 'NHWC', l.dilation ?? 1);
    return y.dataSync() as Float32Array;
  });
}

let cpu: Float32Array[];

beforeAll(async () => {
  await initBackend({ force: 'cpu' });
  cpu = layers.map((_, i) => conv(i));
  await initBackend({ force: 'wasm' });
});

describe('Conv2D on wasm', () => {
  it.each(layers.map((l, i) => [`${l.x} * ${l.filter} s${l.stride} d${l.dilation ?? 1} ${JSON.stringify(l.pad)}`, i] as const))(
    'matches the cpu backend: %s',
    (_label, i) => {
      const before = kernelCalls().conv2d;
      const got = conv(i);
      expect(relError(got, cpu[i]!)).toBeLessThan(1e-5);
      expect(kernelCalls().conv2d - before, layers[i]!.ours ? 'our kernel ran' : 'left to XNNPACK').toBe(layers[i]!.ours ? 1 : 0);
    },
  );

  it('frees its scratch buffers (zero row, padded filter)', () => {
    conv(2);
    const before = tf.backend().numDataIds();
    for (let k = 0; k < 5; k++) conv(2);
    expect(tf.backend().numDataIds()).toBe(before);
  });
});
