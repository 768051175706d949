import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { matMulPlain } from '#core/compute/gradients/matmul';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';
import { relError } from '../rel-error';

interface Case {
  label: string;
  a: { shape: number[]; data: Float32Array };
  b: { shape: number[]; data: Float32Array };
  dy: { shape: number[]; data: Float32Array };
  ta: boolean;
  tb: boolean;
}

const rng = new Rng(5);
const rand = (shape: number[]) => ({ shape, data: rng.normals(shape.reduce((x, y) => x * y)) });

// A dense layer's shapes (batch × in, in × out) in all four transpose combinations, wide and tall, plus
// a batched 3-D product that keeps tfjs's own path.
const cases: Case[] = [
  ...[
    [4, 96, 8],
    [4, 8, 96],
    [32, 5, 7],
  ].flatMap(([m, k, n]) =>
    [false, true].flatMap((ta) =>
      [false, true].map((tb) => ({
        label: `${m}×${k}·${k}×${n} ta=${ta} tb=${tb}`,
        a: rand(ta ? [k!, m!] : [m!, k!]),
        b: rand(tb ? [n!, k!] : [k!, n!]),
        dy: rand([m!, n!]),
        ta,
        tb,
      })),
    ),
  ),
  { label: 'batched 3-D', a: rand([2, 3, 4]), b: rand([2, 4, 5]), dy: rand([2, 3, 5]), ta: false, tb: false },
];

function gradients(c: Case): Float32Array[] {
  const [a, b, dy] = [c.a, c.b, c.dy].map((t) => tf.tensor(t.data, t.shape));
  const grads = tf.grads((x, y) => tf.matMul(x!, y!, c.ta, c.tb))([a!, b!], dy);
  const out = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose([a!, b!, dy!, ...grads]);
  return out;
}

let stock: Float32Array[][];

beforeAll(async () => {
  await initBackend({ force: 'cpu' }); // tfjs's own matMul gradient: the cpu rung installs no patch
  stock = cases.map(gradients);
  await initBackend({ force: 'wasm' });
});

describe('patched matMul gradient', () => {
  it.each(cases.map((c, i) => [c.label, i] as const))('%s matches tfjs on cpu', (_label, i) => {
    const [da, db] = gradients(cases[i]!);
    expect(relError(da!, stock[i]![0]!)).toBeLessThan(1e-4);
    expect(relError(db!, stock[i]![1]!)).toBeLessThan(1e-4);
  });

  it('matMulPlain equals tf.matMul and frees its intermediates (here the swapped form: big transposed right operand)', () => {
    const dy = tf.tensor2d(rng.normals(4 * 8), [4, 8]);
    const w = tf.tensor2d(rng.normals(96 * 8), [96, 8]);
    const before = tf.memory().numTensors;
    const got = matMulPlain(dy, w, false, true);
    expect(tf.memory().numTensors).toBe(before + 1); // intermediates are freed
    const want = tf.matMul(dy, w, false, true);
    expect(relError(got.dataSync() as Float32Array, want.dataSync() as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([dy, w, got, want]);
  });
});
