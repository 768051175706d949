import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { downFeatures } from '#core/ml/encoder';
import { createGan } from '#core/ml/gan';
import { reconstructionLoss } from '#core/ml/self-supervised';
import { Rng } from '#shared/rng';
import { TINY_VOCAB, tinyConfig } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

const SIZE = 16;
/** One image whose four quarters are flat grey levels: top-left, top-right, bottom-left, bottom-right. */
const LEVELS = [0.2, -0.4, 0.6, -0.8];
function quarters(): tf.Tensor4D {
  const v = new Float32Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) v.fill(LEVELS[2 * Number(y >= SIZE / 2) + Number(x >= SIZE / 2)]!, (y * SIZE + x) * 3, (y * SIZE + x + 1) * 3);
  return tf.tensor4d(v, [1, SIZE, SIZE, 3]);
}

const ssGan = (selfSupervised = 1) => createGan(tinyConfig({ size: SIZE, selfSupervised, augment: [] }), TINY_VOCAB, new Rng(2));

describe('self-supervised judge', () => {
  it('scores decoders that draw nothing by the mean square of the half-size image plus that of one random quarter', () => {
    const p = ssGan().params;
    for (const k of Object.keys(p).filter((k) => k.startsWith('d/dec/') && k.includes('/rgb/'))) p[k]!.assign(tf.zerosLike(p[k]!));
    const x = quarters();
    const loss = tf.tidy(() => reconstructionLoss(p, 'd/dec', downFeatures(p, 'd', x), x, new Rng(9)).dataSync()[0]!);
    const pick = new Rng(9);
    const [qy, qx] = [pick.int(2), pick.int(2)];
    const whole = LEVELS.reduce((s, l) => s + l * l, 0) / 4;
    expect(loss).toBeCloseTo(whole + LEVELS[2 * qy + qx]! ** 2, 5);
  });

  it("adds decoders only when asked, leaving the generator's and the judge's first weights as they were", () => {
    const off = ssGan(0).params;
    const on = ssGan(1).params;
    const added = Object.keys(on).filter((k) => !(k in off));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((k) => k.startsWith('d/dec/'))).toBe(true);
    for (const k of Object.keys(off)) expect(Array.from(on[k]!.dataSync())).toEqual(Array.from(off[k]!.dataSync()));
  });

  it("adds the redrawing loss to the judge's loss in proportion to its weight", () => {
    const images = tf.clipByValue(tf.tensor4d(new Rng(1).normals(4 * SIZE * SIZE * 3), [4, SIZE, SIZE, 3]), -1, 1);
    const batch = { images, bags: tf.tensor2d([0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1], [4, TINY_VOCAB]), step: 0 };
    const dLoss = (w: number) => tf.tidy(() => ssGan(w).phases[0]!.loss(batch, new Rng(4)).dataSync()[0]!);
    const [none, one, two] = [dLoss(0), dLoss(1), dLoss(2)];
    expect(one - none).toBeGreaterThan(0.01);
    expect(two - none).toBeCloseTo(2 * (one - none), 4);
  });

  it('learns to redraw: a few steps on the decoders alone lower the loss', () => {
    const p = ssGan().params;
    const x = quarters();
    const features = downFeatures(p, 'd', x);
    const vars = Object.keys(p).filter((k) => k.startsWith('d/dec/')).map((k) => p[k]!);
    const loss = () => reconstructionLoss(p, 'd/dec', features, x, new Rng(9));
    const before = tf.tidy(() => loss().dataSync()[0]!);
    const opt = tf.train.adam(0.01);
    for (let i = 0; i < 40; i++) tf.tidy(() => opt.minimize(loss, false, vars));
    expect(tf.tidy(() => loss().dataSync()[0]!)).toBeLessThan(0.5 * before);
  });
});
