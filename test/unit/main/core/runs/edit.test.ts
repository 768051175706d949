import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputImage } from '#core/dataset/input-image';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { readRecipe } from '#core/media/png-meta';
import { initBackend } from '#core/compute/backend';
import { editPixels, guessSourcePrompt, ImageEditor } from '#core/runs/edit';
import { psnr } from '#core/ml/metrics';
import { drawImages } from '#core/ml/generator';
import { pixelsToTensor, toRgbBytes } from '#core/ml/image';
import { conditionFor } from '#core/ml/sample';
import { TrainingSession } from '#core/runs/session';
import { tf } from '#core/compute/tf';
import { encodeMean } from '#core/ml/vae';

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 1000 };
let root: string;
let data: string;
const runs: Record<string, string> = {};

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-edit-'));
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 7 });
  for (const [model, steps] of [
    ['ae', 12],
    ['vae', 12],
    ['gan', 1],
  ] as const) {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'runs'),
      config: { ...SMALL, model, steps },
      backend: 'wasm',
    });
    await s.train(steps);
    s.dispose();
    runs[model] = s.runDir;
  }
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const input = (name: string) => loadInputImage(path.join(data, name), { size: 32, fit: 'crop' });

describe.each(['ae', 'vae'] as const)('editing with a %s run', (model) => {
  it('strength 0 returns the reconstruction decode(μ(x, c), c) exactly', async () => {
    const ed = await ImageEditor.open(runs[model]!, 'wasm');
    try {
      const img = await input('red-circle-0.png');
      const got = await ed.edit(img, { prompt: 'blue, square', sourcePrompt: 'red, circle', strength: 0, seed: 3 });
      const { params, cfg, vocab } = ed.weights;
      const bag = conditionFor(vocab, cfg, 'red, circle').bag;
      const x = tf.tidy(() => {
        const c = tf.tensor2d(bag, [1, bag.length]);
        return drawImages(params, encodeMean(params, pixelsToTensor(img.pixels, 32), c), c);
      });
      const [expected] = await toRgbBytes(x);
      x.dispose();
      expect(Buffer.from(got.pixels).equals(Buffer.from(expected!))).toBe(true);
      // The new prompt and seed play no part at strength 0.
      const other = await ed.edit(img, { prompt: 'green, cross', sourcePrompt: 'red, circle', strength: 0, seed: 99 });
      expect(Buffer.from(other.pixels).equals(Buffer.from(expected!))).toBe(true);
    } finally {
      ed.dispose();
    }
  });

  it('strength 1 ignores the input: it is the plain sample of the new prompt and seed', async () => {
    const ed = await ImageEditor.open(runs[model]!, 'wasm');
    try {
      const [a, b] = [await input('red-circle-0.png'), await input('green-triangle-0.png')];
      const req = { prompt: 'blue, square', sourcePrompt: 'red, circle', strength: 1, seed: 5 };
      const fromA = (await ed.edit(a, req)).pixels;
      const fromB = (await ed.edit(b, { ...req, sourcePrompt: 'green, triangle' })).pixels;
      expect(Buffer.from(fromA).equals(Buffer.from(fromB))).toBe(true);
      expect(Buffer.from(fromA).equals(Buffer.from((await ed.sampler.sample({ prompt: 'blue, square', seed: 5 })).pixels))).toBe(true);
      // In between, the result is neither end.
      const mid = (await ed.edit(a, { ...req, strength: 0.5 })).pixels;
      const start = (await ed.edit(a, { ...req, strength: 0 })).pixels;
      expect(Buffer.from(mid).equals(Buffer.from(fromA))).toBe(false);
      expect(Buffer.from(mid).equals(Buffer.from(start))).toBe(false);
    } finally {
      ed.dispose();
    }
  });
});

describe('ImageEditor', () => {
  it('writes a PNG whose recipe names the source image, its prompt and the strength', async () => {
    const ed = await ImageEditor.open(runs.ae!, 'wasm');
    try {
      const file = path.join(data, 'red-circle-0.png');
      const s = await ed.edit(await input('red-circle-0.png'), {
        prompt: 'blue, circle',
        sourcePrompt: 'red, circle',
        strength: 0.6,
        seed: 1,
      });
      const png = await ed.png(s);
      const { recipe, parameters } = readRecipe(png);
      expect(recipe).toMatchObject({
        prompt: 'blue, circle',
        seed: 1,
        model: 'ae',
        strength: 0.6,
        sourcePrompt: 'red, circle',
        source: createHash('sha256')
          .update(await fs.readFile(file))
          .digest('hex'),
      });
      expect(parameters).toMatch(/Sampler: ae, .*Denoising strength: 0\.6, Source hash: [0-9a-f]{10}$/);
      expect((await sharp(png).metadata()).width).toBe(32);
    } finally {
      ed.dispose();
    }
  });

  it('describes an input by the training caption that reconstructs it best', async () => {
    const ed = await ImageEditor.open(runs.ae!, 'wasm');
    try {
      const img = await input('blue-square-0.png');
      const guess = await ed.describe(img);
      const captions = [...new Set(ed.weights.vocab.captions.map((c) => c.join(', ')))];
      expect(captions).toHaveLength(16);
      expect(captions).toContain(guess);
      const score = async (c: string) =>
        psnr(
          { data: img.pixels, width: 32, height: 32 },
          {
            data: (await editPixels(ed.weights, img.pixels, { prompt: c, sourcePrompt: c, strength: 0, seed: 0 })).pixels,
            width: 32,
            height: 32,
          },
        );
      for (const c of captions) expect(await score(guess)).toBeGreaterThanOrEqual(await score(c));
      expect(await guessSourcePrompt(ed.weights, img.pixels)).toBe(guess);
    } finally {
      ed.dispose();
    }
  });

  it('keeps the tensor count flat across edits', async () => {
    const ed = await ImageEditor.open(runs.vae!, 'wasm');
    try {
      const img = await input('blue-cross-0.png');
      const req = { prompt: 'red, cross', sourcePrompt: 'blue, cross', strength: 0.3, seed: 2 };
      await ed.edit(img, req);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) await ed.edit(img, { ...req, seed: i });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      ed.dispose();
    }
  });

  it('refuses a GAN run in one line, and strengths outside 0–1', async () => {
    await expect(ImageEditor.open(runs.gan!, 'wasm')).rejects.toThrow(
      /is a gan run, which has no encoder: edit needs a run trained with --model ae or vae$/,
    );
    const ed = await ImageEditor.open(runs.ae!, 'wasm');
    try {
      const img = await input('red-circle-0.png');
      await expect(ed.edit(img, { prompt: 'red', sourcePrompt: 'red', strength: 1.5, seed: 0 })).rejects.toThrow(
        /strength must be from 0 to 1, got 1.5/,
      );
    } finally {
      ed.dispose();
    }
  });
});
