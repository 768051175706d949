// The Conv2DBackpropFilter kernel registered on tfjs's wasm backend, against the cpu backend's.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { splitChannels } from '#core/compute/wasm/filter-grad';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

type Shape4 = [number, number, number, number];
type Pad = tf.Conv2DAttrs['pad'];

// GAN-like layers: the first (3 channels in), the last (3 out), strided and not; more than one thread's work.
const layers: { x: Shape4; filter: Shape4; stride: number; pad: Pad }[] = [
  { x: [4, 16, 16, 3], filter: [3, 3, 3, 16], stride: 1, pad: 'same' },
  { x: [4, 16, 16, 16], filter: [3, 3, 16, 32], stride: 2, pad: 'same' },
  { x: [4, 8, 8, 32], filter: [3, 3, 32, 64], stride: 2, pad: 'valid' },
  { x: [4, 16, 16, 16], filter: [3, 3, 16, 3], stride: 1, pad: 'same' },
  {
    x: [2, 9, 9, 20],
    filter: [4, 4, 20, 40],
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  },
];

const rng = new Rng(3);
const inputs = layers.map((l) => {
  const info = tf.backend_util.computeConv2DInfo(l.x, l.filter, l.stride, 1, l.pad);
  return { x: rng.normals(l.x.reduce((a, b) => a * b)), dy: rng.normals(info.outShape.reduce((a, b) => a * b)), dyShape: info.outShape };
});

function filterGrad(i: number, attrs: Partial<tf.Conv2DBackpropFilterAttrs> = {}): Float32Array {
  const l = layers[i]!;
  return tf.tidy(() => {
    const x = tf.tensor4d(inputs[i]!.x, l.x);
    const dy = tf.tensor4d(inputs[i]!.dy, inputs[i]!.dyShape);
    const all = { strides: l.stride, pad: l.pad, dataFormat: 'NHWC', filterShape: l.filter, ...attrs };
    const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, all as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect(dw.shape).toEqual(l.filter);
    return dw.dataSync() as Float32Array;
  });
}

let cpu: Float32Array[];

beforeAll(async () => {
  await initBackend({ force: 'cpu' });
  cpu = layers.map((_, i) => filterGrad(i));
  await initBackend({ force: 'wasm' });
});

describe('Conv2DBackpropFilter on wasm', () => {
  it('is registered at start-up, and the backend says whether it fuses multiply-adds', async () => {
    const report = await initBackend({ force: 'wasm' });
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
    expect(report.reasons.find((r) => r.name === 'wasm')!.detail).toMatch(/fused multiply-add on/);
  });

  it.each(layers.map((l, i) => [`${l.x} * ${l.filter} s${l.stride} ${JSON.stringify(l.pad)}`, i] as const))(
    'matches the cpu kernel: %s',
    (_label, i) => {
      const got = filterGrad(i);
      expect(relError(got, cpu[i]!)).toBeLessThan(1e-5);
    },
  );

  it('rejects a dy that is not the conv output, and NCHW', () => {
    expect(() => filterGrad(1, { strides: 1 })).toThrow(/dy is 4,8,8,32, the conv of x 4,16,16,16 .* gives 4,16,16,32/);
    expect(() => filterGrad(1, { dataFormat: 'NCHW' })).toThrow(/NHWC/);
  });
});

describe('splitChannels', () => {
  it('splits output channels in 8s, leftovers to the last thread', () => {
    expect(splitChannels(6, 20, 2)).toEqual([
      [0, 6, 0, 8],
      [0, 6, 8, 20],
    ]);
    expect(splitChannels(4, 64, 3)).toEqual([
      [0, 4, 0, 16],
      [0, 4, 16, 40],
      [0, 4, 40, 64],
    ]);
  });

  it('splits input channels in 4s when there are fewer than 16 output channels', () => {
    expect(splitChannels(12, 3, 2)).toEqual([
      [0, 4, 0, 3],
      [4, 12, 0, 3],
    ]);
    expect(splitChannels(16, 8, 2)).toEqual([
      [0, 8, 0, 8],
      [8, 16, 0, 8],
    ]);
  });

  it('never makes more parts than there are blocks', () => {
    expect(splitChannels(3, 3, 4)).toEqual([[0, 3, 0, 3]]);
    expect(splitChannels(5, 16, 8)).toEqual([
      [0, 5, 0, 8],
      [0, 5, 8, 16],
    ]);
  });
});
