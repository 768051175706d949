import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { conv2dInputGradDilated, conv2dInputGradPolyphase, installWasmGradPatch } from '#core/compute/gradients/patch';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

type Pad = tf.Conv2DAttrs['pad'];
type Shape4 = [number, number, number, number];

/** One random conv layer; data are plain arrays so the case can be rebuilt on any backend. */
interface Case {
  label: string;
  transpose: boolean;
  format: 'NHWC' | 'NCHW';
  stride: 1 | 2;
  pad: Pad;
  input: { shape: Shape4; data: Float32Array };
  filter: { shape: Shape4; data: Float32Array };
  upstream: { shape: Shape4; data: Float32Array };
}

const rng = new Rng(8474);
const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const rand = (shape: Shape4) => ({ shape, data: rng.normals(shape.reduce((a, b) => a * b)) });

function makeCase(transpose: boolean, stride: 1 | 2, pad: Pad, format: 'NHWC' | 'NCHW' = 'NHWC'): Case {
  const size = pick([7, 9]);
  const batch = 2 + rng.int(2);
  const [cin, cout] = [1 + rng.int(5), 1 + rng.int(5)];
  const k = pick([2, 3, 4, 5]);
  // The forward conv maps [batch, size, size, cin] to dy; conv2dTranspose runs it backwards.
  const info = tf.backend_util.computeConv2DInfo([batch, size, size, cin], [k, k, cin, cout], stride, 1, pad);
  const layout = <T>([n, h, w, c]: [T, T, T, T]): [T, T, T, T] => (format === 'NHWC' ? [n, h, w, c] : [n, c, h, w]);
  const big = layout([batch, size, size, cin]);
  const small = layout([batch, info.outHeight, info.outWidth, cout]);
  const label = `${transpose ? 'conv2dTranspose' : 'conv2d'} ${format} ${size}px k${k} s${stride} ${JSON.stringify(pad)} b${batch} ${cin}→${cout}`;
  const common = { label, transpose, format, stride, pad: Array.isArray(pad) ? layout(pad) : pad, filter: rand([k, k, cin, cout]) };
  return transpose ? { ...common, input: rand(small), upstream: rand(big) } : { ...common, input: rand(big), upstream: rand(small) };
}

const pads: Pad[] = [
  'same',
  'valid',
  1,
  [
    [0, 0],
    [1, 2],
    [0, 1],
    [0, 0],
  ],
];
const cases = [false, true].flatMap((transpose) =>
  ([1, 2] as const).flatMap((stride) => pads.map((pad) => makeCase(transpose, stride, pad))),
);
// wasm has no NCHW conv at all, but the cpu backend does and the patch is global.
const nchwCases = pads.map((pad) => makeCase(false, 2, pad, 'NCHW'));

/** [d input, d filter] of the case's layer for the given upstream gradient, on the current backend. */
function gradients(c: Case): Float32Array[] {
  const [input, filter, upstream] = [c.input, c.filter, c.upstream].map((t) => tf.tensor4d(t.data, t.shape));
  const layer = (x: tf.Tensor4D, w: tf.Tensor4D) =>
    c.transpose ? tf.conv2dTranspose(x, w, c.upstream.shape, c.stride, c.pad) : tf.conv2d(x, w, c.stride, c.pad, c.format);
  const grads = tf.grads((x, w) => layer(x as tf.Tensor4D, w as tf.Tensor4D))([input!, filter!], upstream);
  const out = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose([input, filter, upstream, ...grads]);
  return out;
}

let stock: Float32Array[][];
let nchwStock: Float32Array[][];

beforeAll(async () => {
  // The stock gradients, using the cpu Conv2DBackpropFilter kernel, before anything is patched.
  await initBackend({ force: 'cpu' });
  stock = cases.map(gradients);
  nchwStock = nchwCases.map(gradients);
  await initBackend({ force: 'wasm' });
});

describe('patched conv gradients match the cpu backend', () => {
  it.each(cases.map((c, i) => [c.label, i] as const))('%s on wasm', async (_label, i) => {
    await initBackend({ force: 'wasm' });
    const [dInput, dFilter] = gradients(cases[i]!);
    expect(relError(dInput!, stock[i]![0]!)).toBeLessThan(1e-4);
    expect(relError(dFilter!, stock[i]![1]!)).toBeLessThan(1e-4);
  });

  it('on cpu too, since the gradient registry is global', async () => {
    await initBackend({ force: 'cpu' });
    installWasmGradPatch();
    const all = [...cases, ...nchwCases];
    const want = [...stock, ...nchwStock];
    all.forEach((c, i) => {
      const [dInput, dFilter] = gradients(c);
      expect(relError(dInput!, want[i]![0]!), c.label).toBeLessThan(1e-4);
      expect(relError(dFilter!, want[i]![1]!), c.label).toBeLessThan(1e-4);
    });
  });

  it('both input-gradient forms agree on strided convs (the patch picks polyphase for them)', async () => {
    await initBackend({ force: 'wasm' });
    for (const c of cases.filter((x) => !x.transpose && x.stride === 2)) {
      const [dy, w] = [tf.tensor4d(c.upstream.data, c.upstream.shape), tf.tensor4d(c.filter.data, c.filter.shape)];
      const [a, b] = [conv2dInputGradDilated, conv2dInputGradPolyphase].map((f) => f(dy, w, c.input.shape, 2, c.pad));
      expect(a!.shape, c.label).toEqual(c.input.shape);
      expect(relError(b!.dataSync() as Float32Array, a!.dataSync() as Float32Array), c.label).toBeLessThan(1e-5);
      tf.dispose([dy, w, a, b]);
    }
  });
});

describe('training on wasm', () => {
  it('a tiny conv autoencoder learns for 3 Adam steps without leaking tensors', async () => {
    await initBackend({ force: 'wasm' });
    const r = new Rng(1);
    const x = tf.tensor4d(r.normals(4 * 8 * 8 * 1), [4, 8, 8, 1]);
    const down = tf.variable(tf.tensor4d(r.normals(3 * 3 * 1 * 4, 0.3), [3, 3, 1, 4]));
    const up = tf.variable(tf.tensor4d(r.normals(4 * 4 * 1 * 4, 0.3), [4, 4, 1, 4]));
    const opt = tf.train.adam(0.02);
    const step = () => {
      const loss = opt.minimize(() => {
        const h = tf.leakyRelu(tf.conv2d(x, down as tf.Variable<tf.Rank.R4>, 2, 'same'), 0.2);
        const y = tf.conv2dTranspose(h, up as tf.Variable<tf.Rank.R4>, [4, 8, 8, 1], 2, 'same');
        return tf.mean(tf.square(tf.sub(y, x)));
      }, true)!;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    };
    const first = step(); // creates Adam's moment variables
    const tensorsAfterFirst = tf.memory().numTensors;
    const losses = [first, step(), step()];
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(losses[2]).toBeLessThan(losses[0]!);
    opt.dispose();
    tf.dispose([x, down, up]);
  });
});
