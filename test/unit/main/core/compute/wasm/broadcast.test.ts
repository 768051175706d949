// Broadcasting Add / Sub / Multiply on wasm through our kernel: the same bits as one float32 operation
// per value, for each broadcast the engine uses, and tfjs's kernel for the rest.
import { describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { broadcastPlan } from '#core/compute/wasm/broadcast';
import { Rng } from '#shared/rng';

describe('broadcastPlan', () => {
  it('sees the engine broadcasts as [n, p, c] with strides 0 where they repeat', () => {
    const big = [16, 8, 8, 4];
    expect(broadcastPlan(big, [4])).toEqual({ n: 16, p: 64, c: 4, strides: [0, 0, 1] });
    expect(broadcastPlan(big, [16, 1, 1, 4])).toEqual({ n: 16, p: 64, c: 4, strides: [4, 0, 1] });
    expect(broadcastPlan(big, [16, 8, 8, 1])).toEqual({ n: 16, p: 64, c: 4, strides: [64, 1, 0] });
    expect(broadcastPlan(big, [16, 1, 1, 1])).toEqual({ n: 16, p: 1, c: 256, strides: [1, 0, 0] });
    expect(broadcastPlan(big, [8, 8, 4])).toEqual({ n: 16, p: 64, c: 4, strides: [0, 4, 1] });
    expect(broadcastPlan([32, 256], [256])).toEqual({ n: 32, p: 1, c: 256, strides: [0, 0, 1] });
    expect(broadcastPlan([32, 256], [32, 1])).toEqual({ n: 32, p: 1, c: 256, strides: [1, 0, 0] });
    expect(broadcastPlan(big, [1, 1, 1, 1])).toEqual({ n: 16, p: 1, c: 256, strides: [0, 0, 0] });
  });

  it('refuses what it cannot stride: a partly broadcast middle, a growing axis, rank 1', () => {
    expect(broadcastPlan([16, 8, 8, 4], [16, 8, 1, 4])).toBeUndefined();
    expect(broadcastPlan([16, 1], [1, 16])).toBeUndefined();
    expect(broadcastPlan([16], [1])).toBeUndefined();
  });
});

describe('broadcasting binary ops on wasm', () => {
  const rng = new Rng(21);
  const bigShape = [6, 5, 7, 12];
  const smalls = [[12], [6, 1, 1, 12], [6, 5, 7, 1], [6, 1, 1, 1], [5, 7, 12], [5, 7, 1], [1, 5, 1, 12], [1, 1, 1, 1]];
  const f32 = Math.fround;
  const ops = [
    ['add', tf.add, (x: number, y: number) => f32(x + y)],
    ['sub', tf.sub, (x: number, y: number) => f32(x - y)],
    ['mul', tf.mul, (x: number, y: number) => f32(x * y)],
  ] as const;

  /** Index of the broadcast operand for each value of the big one (numpy rules). */
  function expected(small: number[], big: Float32Array, s: Float32Array, f: (x: number, y: number) => number, smallFirst: boolean) {
    const shape = [...Array(bigShape.length - small.length).fill(1), ...small];
    return big.map((v, flat) => {
      let rest = flat;
      let idx = 0;
      let stride = 1;
      const coords = bigShape.map((d) => d);
      for (let ax = bigShape.length - 1; ax >= 0; ax--) {
        coords[ax] = rest % bigShape[ax]!;
        rest = Math.floor(rest / bigShape[ax]!);
      }
      for (let ax = bigShape.length - 1; ax >= 0; ax--) {
        if (shape[ax] !== 1) idx += coords[ax]! * stride;
        stride *= shape[ax]!;
      }
      return smallFirst ? f(s[idx]!, v) : f(v, s[idx]!);
    });
  }

  it.each(ops)('%s gives one float32 operation per value, either operand broadcast', async (name, op, f) => {
    await initBackend({ force: 'wasm' });
    const big = rng.normals(bigShape.reduce((a, b) => a * b));
    for (const small of smalls) {
      const s = rng.normals(small.reduce((a, b) => a * b));
      for (const smallFirst of [false, true]) {
        const got = tf.tidy(() => {
          const [x, y] = [tf.tensor(big, bigShape), tf.tensor(s, small)];
          return (smallFirst ? op(y, x) : op(x, y)).dataSync() as Float32Array;
        });
        const want = expected(small, big, s, f, smallFirst);
        expect(
          Buffer.from(got.buffer).equals(Buffer.from(want.buffer)),
          `${name} ${smallFirst ? `[${small}], big` : `big, [${small}]`}`,
        ).toBe(true);
      }
    }
  });

  it('splits large ones between threads with the same bits', async () => {
    await initBackend({ force: 'wasm' });
    const [x, b] = [rng.normals(16 * 32 * 32 * 16), rng.normals(16 * 16)];
    const got = tf.tidy(() => tf.mul(tf.tensor(x, [16, 32, 32, 16]), tf.tensor(b, [16, 1, 1, 16])).dataSync() as Float32Array);
    const want = x.map((v, i) => f32(v * b[Math.floor(i / (32 * 32 * 16)) * 16 + (i % 16)]!));
    expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });
});
