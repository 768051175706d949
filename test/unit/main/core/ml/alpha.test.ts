import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecipe } from '#core/media/png-meta';
import { overCheckerboard, premultiply, unpremultiply } from '#core/ml/alpha';
import { diffAugment } from '#core/ml/augment';
import { initBackend } from '#core/compute/backend';
import { createModel } from '#core/ml/models';
import { Sampler } from '#core/runs/sampler';
import { TrainingSession } from '#core/runs/session';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';
import { buildAlphaFolder } from '#test/fixtures/alpha-folder';
import { buildCaptionedFolder } from '#test/fixtures/captioned-folder';
import { tinyConfig } from '#test/fixtures/tiny-data';

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 1000 };
let alphaDir: { root: string; cleanup: () => Promise<void> };
let out: string;

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  alphaDir = await buildAlphaFolder(8);
  out = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-alpha-run-'));
});
afterAll(async () => {
  await alphaDir.cleanup();
  await fs.rm(out, { recursive: true, force: true });
});

describe('premultiplied alpha', () => {
  it('straight RGBA → premultiplied → straight RGBA gives the same bytes (colour of a = 0 becomes 0)', () => {
    const px: number[] = [];
    for (const a of [0, 1, 7, 128, 254, 255]) for (const c of [0, 1, 100, 200, 255]) px.push(c, 255 - c, (c * 7) % 256, a);
    const rgba = Uint8Array.from(px);
    const x = new Float32Array(rgba.length);
    premultiply(rgba, x);
    const back = unpremultiply(x);
    const expected = Uint8Array.from(px.map((v, i) => (i % 4 !== 3 && px[i - (i % 4) + 3] === 0 ? 0 : v)));
    expect([...back]).toEqual([...expected]);
    // A transparent pixel is all -1 whatever colour it was stored with.
    expect([...x.subarray(0, 4)]).toEqual([-1, -1, -1, -1]);
  });

  it('clamps colour above alpha (a network may output it) to full intensity', () => {
    expect([...unpremultiply(Float32Array.from([1, -1, 0, 0]))]).toEqual([255, 0, 255, 128]);
  });

  it('composites over a checkerboard for sample sheets', () => {
    const rgb = overCheckerboard(new Uint8Array(16 * 16 * 4), 16); // fully transparent
    expect(rgb[0]).toBe(255);
    expect(rgb[8 * 3]).toBe(204); // next checker cell
    expect([...overCheckerboard(Uint8Array.from([0, 0, 0, 255]), 1)]).toEqual([0, 0, 0]); // opaque black
    expect([...overCheckerboard(Uint8Array.from([0, 0, 0, 128]), 1)]).toEqual([127, 127, 127]); // half over white
  });
});

describe('DiffAugment on premultiplied RGBA', () => {
  // Opaque coloured square in the middle of a transparent 16×16 image, batch of 2.
  const img = () => {
    const rgba = new Uint8Array(2 * 16 * 16 * 4);
    for (let n = 0; n < 2; n++)
      for (let y = 4; y < 12; y++) for (let x = 4; x < 12; x++) rgba.set([200, 60 + n * 100, 30, 255], ((n * 16 + y) * 16 + x) * 4);
    const f = new Float32Array(rgba.length);
    premultiply(rgba, f);
    return tf.tensor4d(f, [2, 16, 16, 4]);
  };
  const channel = (d: Float32Array, c: number) => d.filter((_, i) => i % 4 === c);

  it('colour ops change colour, never alpha, and keep transparent pixels transparent', () => {
    const before = tf.tidy(() => img().dataSync() as Float32Array);
    for (const seed of [1, 2, 3, 4]) {
      const after = tf.tidy(() => diffAugment(img(), ['color'], new Rng(seed)).dataSync() as Float32Array);
      const a0 = channel(before, 3);
      const a1 = channel(after, 3);
      a1.forEach((v, i) => expect(v).toBeCloseTo(a0[i]!, 6));
      for (let i = 0; i < a0.length; i++) if (a0[i] === -1) for (let c = 0; c < 3; c++) expect(after[i * 4 + c]).toBeCloseTo(-1, 5);
      expect(channel(after, 0)).not.toEqual(channel(before, 0));
    }
  });

  it('colour at chance 0 leaves premultiplied images as they were; at 1 it recolours every one', () => {
    const before = tf.tidy(() => img().dataSync() as Float32Array);
    const at = (chance: number) => tf.tidy(() => diffAugment(img(), ['color'], new Rng(3), chance).dataSync() as Float32Array);
    at(0).forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 6));
    const all = at(1);
    for (const n of [0, 1]) expect(all.subarray(n * 1024, (n + 1) * 1024)).not.toEqual(before.subarray(n * 1024, (n + 1) * 1024));
  });

  it('translation and cutout fill with transparent pixels (all channels -1)', () => {
    const opaque = () => tf.ones([2, 16, 16, 4]) as tf.Tensor4D;
    for (const policy of [['translation'], ['cutout']] as const) {
      const y = tf.tidy(() => diffAugment(opaque(), [...policy], new Rng(5)).dataSync() as Float32Array);
      const filled = [...channel(y, 3)].map((a, i) => [a, i] as const).filter(([a]) => a < 0);
      expect(filled.length).toBeGreaterThan(0);
      for (const [a, i] of filled) {
        expect(a).toBe(-1);
        expect([...y.subarray(i * 4, i * 4 + 3)]).toEqual([-1, -1, -1]);
      }
    }
  });
});

describe('RGBA models', () => {
  it('generate 4 channels when alpha is on, 3 otherwise', () => {
    for (const model of ['gan', 'vae'] as const) {
      for (const [alpha, c] of [
        ['on', 4],
        ['off', 3],
        ['auto', 3],
      ] as const) {
        const m = createModel(tinyConfig({ model, alpha }), 5, new Rng(1));
        const x = tf.tidy(() => m.generate!(m.params, tf.randomNormal([2, 8]), tf.zeros([2, 5])));
        expect(x.shape).toEqual([2, 32, 32, c]);
        tf.dispose([x, ...Object.values(m.params)]);
      }
    }
  });

  it('an RGB dataset trains an RGB model (alpha resolved and recorded as off)', async () => {
    const rgb = await buildCaptionedFolder();
    const s = await TrainingSession.create({ dataset: rgb.root, out, config: { ...SMALL, steps: 1 }, backend: 'wasm' });
    expect(s.cfg.alpha).toBe('off');
    expect(s.trainData().channels).toBe(3);
    expect(JSON.parse(await fs.readFile(path.join(s.runDir, 'run.json'), 'utf8')).config.alpha).toBe('off');
    s.dispose();
    await rgb.cleanup();
  });

  it.each(['vae', 'gan'] as const)(
    '%s: an alpha dataset trains RGBA; samples are transparent PNGs with their recipe; resume keeps RGBA',
    async (model) => {
      const s = await TrainingSession.create({
        dataset: alphaDir.root,
        out,
        config: { ...SMALL, model, steps: 40, lr: 2e-3, klWarmup: 0, klWeight: 0.01, emaBeta: 0.9 },
        backend: 'wasm',
      });
      expect(s.cfg.alpha).toBe('on');
      expect(s.trainData().channels).toBe(4);
      await s.train(40);
      const sheet = await s.writeSampleSheet();
      expect((await sharp(sheet).metadata()).channels).toBe(3); // composited over a checkerboard
      s.dispose();

      const sampler = await Sampler.open(s.runDir, 'wasm');
      const one = await sampler.sample({ prompt: 'red circle', seed: 7 });
      const png = await sampler.png(one);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect(info.channels).toBe(4);
      const alpha = [...data.filter((_, i) => i % 4 === 3)];
      expect(Math.max(...alpha) - Math.min(...alpha)).toBeGreaterThan(100); // alpha varies across the image
      const png2 = await sampler.png(await sampler.sample({ prompt: 'red circle', seed: 7 }));
      expect(png2.equals(png)).toBe(true);
      expect(readRecipe(png).recipe).toMatchObject({ prompt: 'red circle', seed: 7, model, step: 40 });
      sampler.dispose();

      const resumed = await TrainingSession.resume({ runDir: s.runDir, backend: 'wasm', config: { alpha: 'off' } });
      expect(resumed.cfg.alpha).toBe('on');
      await resumed.train(1);
      resumed.dispose();
    },
  );
});
