import { beforeAll, describe, expect, it } from 'vitest';
import { seamError } from '#core/export/seam';
import { tilePreview } from '#core/export/tile-preview';
import { initBackend } from '#core/compute/backend';
import { toRgbBytes } from '#core/ml/image';
import { createModel } from '#core/ml/models';
import { tf } from '#core/compute/tf';
import { convInput } from '#core/ml/tile';
import type { TileMode } from '#shared/recipe';
import { emaView, initState, trainStep, type TrainState } from '#core/ml/train';
import { Rng } from '#shared/rng';
import { stripeData } from '#test/fixtures/stripe-data';
import { tinyConfig } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

const cfg = tinyConfig({ channels: 8 });

async function draw(s: TrainState, mode: TileMode | undefined, n = 16): Promise<Uint8Array[]> {
  const x = tf.tidy(() =>
    s.model.generate!(
      emaView(s),
      tf.randomNormal([n, cfg.zDim], 0, 1, 'float32', 3),
      tf.tensor2d(Array.from({ length: n }, () => [0, 1]).flat(), [n, 2]),
      mode,
    ),
  );
  const out = await toRgbBytes(x as tf.Tensor4D);
  x.dispose();
  return out;
}

const meanSeam = (imgs: Uint8Array[], mode: TileMode) => {
  const e = imgs.map((p) => seamError(p, 32, 32, 3, mode));
  return { wrap: e.reduce((a, b) => a + b.wrap, 0) / e.length, interior: e.reduce((a, b) => a + b.interior, 0) / e.length };
};

describe('seamless tiles', () => {
  it('pad by wrapping around along tiled axes and with zeros along the others', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    const rows = (mode: TileMode) =>
      convInput(x, 3, 1, mode)
        .x.arraySync()[0]!
        .map((r) => r.map((c) => c[0]));
    expect(rows('x')).toEqual([
      [0, 0, 0, 0, 0],
      [3, 1, 2, 3, 1],
      [6, 4, 5, 6, 4],
      [0, 0, 0, 0, 0],
    ]);
    expect(rows('y')).toEqual([
      [0, 4, 5, 6, 0],
      [0, 1, 2, 3, 0],
      [0, 4, 5, 6, 0],
      [0, 1, 2, 3, 0],
    ]);
    expect(rows('xy')[0]).toEqual([6, 4, 5, 6, 4]);
    expect(convInput(x, 3, 1)).toEqual({ x, pad: 'same' }); // tiling off: untouched
    x.dispose();
  });

  // A tiny GAN trained 30 steps on diagonal colour waves (content at every edge), 16 samples each way.
  it('a trained model drawn with --tile xy has a much smaller seam error than drawn normally', async () => {
    const s = initState(createModel(cfg, 2, new Rng(1)), 1);
    const data = stripeData();
    for (let i = 0; i < 30; i++) trainStep(s, data, cfg);
    await draw(s, 'xy', 1); // warm-up: first calls may create tensors that tfjs keeps
    const before = tf.memory().numTensors;
    const plain = meanSeam(await draw(s, undefined), 'xy');
    const tiled = meanSeam(await draw(s, 'xy'), 'xy');
    expect(tf.memory().numTensors).toBe(before);
    // Across the wrap, a tile's edges differ no more than neighbouring pixels do…
    expect(tiled.wrap).toBeLessThan(1.2 * tiled.interior);
    // …while an ordinary sample's opposite edges differ far more, and far more than the tile's.
    expect(plain.wrap).toBeGreaterThan(2 * plain.interior);
    expect(tiled.wrap).toBeLessThan(0.4 * plain.wrap);
    // Tiling one axis only makes only that axis seamless.
    const xOnly = await draw(s, 'x');
    expect(meanSeam(xOnly, 'x').wrap).toBeLessThan(1.2 * meanSeam(xOnly, 'x').interior);
    expect(meanSeam(xOnly, 'y').wrap).toBeGreaterThan(2 * meanSeam(xOnly, 'y').interior);
  }, 120_000);

  it('preview the tile 3×3', () => {
    const tile = { data: Uint8Array.from({ length: 2 * 2 * 4 }, (_, i) => i), width: 2, height: 2 };
    const p = tilePreview(tile);
    expect([p.width, p.height]).toEqual([6, 6]);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 6; x++) {
        const s = ((y % 2) * 2 + (x % 2)) * 4;
        expect([...p.data.subarray((y * 6 + x) * 4, (y * 6 + x) * 4 + 4)]).toEqual([...tile.data.subarray(s, s + 4)]);
      }
  });
});
