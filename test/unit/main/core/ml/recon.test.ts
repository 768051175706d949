import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputImage } from '#core/dataset/input-image';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { initBackend } from '#core/compute/backend';
import { ImageEditor } from '#core/runs/edit';
import { psnr, ssim } from '#core/ml/metrics';
import { pickHeldOut, splitHeldOut } from '#core/ml/recon';
import { bagInto, imageAt } from '#core/ml/train';
import { formatRunSummary, readRunSummary } from '#core/runs/run-summary';
import { TrainingSession } from '#core/runs/session';
import { buildAlphaFolder } from '#test/fixtures/alpha-folder';
import { tinyData } from '#test/fixtures/tiny-data';

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 2 };
let root: string;
let data: string;

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-recon-'));
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 3, seed: 11 }); // 48 images
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('pickHeldOut', () => {
  const paths = Array.from({ length: 1000 }, (_, i) => `img-${i}.png`);

  it('holds out one image in 20, at most 32, only for models with an encoder', () => {
    expect(pickHeldOut('ae', paths.slice(0, 19), 0)).toEqual([]);
    expect(pickHeldOut('ae', paths.slice(0, 45), 0)).toHaveLength(2);
    expect(pickHeldOut('vae', paths, 0)).toHaveLength(32);
    expect(pickHeldOut('gan', paths, 0)).toEqual([]);
    expect(pickHeldOut('flow', paths, 0)).toEqual([]);
  });

  it('is a seeded choice of distinct dataset paths', () => {
    const a = pickHeldOut('ae', paths.slice(0, 200), 1);
    expect(pickHeldOut('ae', paths.slice(0, 200), 1)).toEqual(a);
    expect(pickHeldOut('ae', paths.slice(0, 200), 2)).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(a.every((p) => paths.includes(p))).toBe(true);
  });
});

describe('splitHeldOut', () => {
  it('moves the chosen images and their bags out of the training data', () => {
    const d = tinyData(32, 6);
    const { train, heldOut } = splitHeldOut(d, new Set([1, 4]));
    expect([train.count, heldOut.count]).toEqual([4, 2]);
    expect(Buffer.from(imageAt(heldOut, 1)).equals(Buffer.from(imageAt(d, 4)))).toBe(true);
    const bag = new Float32Array(3);
    bagInto(heldOut, 0, bag);
    expect([...bag]).toEqual([...d.bags.subarray(3, 6)]);
    expect(Buffer.from(imageAt(train, 1)).equals(Buffer.from(imageAt(d, 2)))).toBe(true);
  });
});

describe('reconstruction scores in an ae run', () => {
  it('trains without the held-out images and logs their PSNR/SSIM at every checkpoint, as edit --strength 0 gives', async () => {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'runs'),
      config: { ...SMALL, model: 'ae', steps: 4 },
      backend: 'wasm',
    });
    expect(s.heldOut).toHaveLength(2);
    const run = JSON.parse(await fs.readFile(path.join(s.runDir, 'run.json'), 'utf8'));
    expect(run.heldOut).toEqual(s.heldOut);
    expect(s.splitData().train.count).toBe(46);
    await s.train(4);
    s.dispose();

    const summary = await readRunSummary(s.runDir);
    expect(summary.recon.map((r) => r.step)).toEqual([2, 4]);
    const last = summary.recon[1];
    expect(last!.images).toBe(2);

    // The logged score is the mean over the held-out images of their strength-0 edits.
    const ed = await ImageEditor.open(s.runDir, 'wasm');
    try {
      let p = 0;
      let q = 0;
      for (const file of s.heldOut) {
        const input = await loadInputImage(path.join(data, file), { size: 32, fit: 'crop' });
        const caption = (await fs.readFile(path.join(data, file.replace(/\.png$/, '.txt')), 'utf8')).trim();
        const out = (await ed.edit(input, { prompt: caption, sourcePrompt: caption, strength: 0, seed: 0 })).pixels;
        p += psnr({ data: input.pixels, width: 32, height: 32 }, { data: out, width: 32, height: 32 });
        q += ssim({ data: input.pixels, width: 32, height: 32 }, { data: out, width: 32, height: 32 });
      }
      expect(last!.psnr).toBeCloseTo(p / 2, 6);
      expect(last!.ssim).toBeCloseTo(q / 2, 6);
    } finally {
      ed.dispose();
    }
    expect(formatRunSummary(summary)).toMatch(
      /ae 32px, step 4, .*\nreconstruction of 2 held-out images .*\n {2}step {7}2 .* dB {2}0\.\d{3}\n {2}step {7}4 /,
    );

    // Resuming keeps the same held-out images.
    const resumed = await TrainingSession.resume({ runDir: s.runDir, backend: 'wasm' });
    expect(resumed.heldOut).toEqual(s.heldOut);
    resumed.dispose();
  });

  it('a gan run holds nothing out and logs no scores', async () => {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'runs'),
      config: { ...SMALL, model: 'gan', steps: 2 },
      backend: 'wasm',
    });
    await s.train(2);
    s.dispose();
    const summary = await readRunSummary(s.runDir);
    expect([summary.heldOut, summary.recon.length, summary.step]).toEqual([0, 0, 2]);
    expect(formatRunSummary(summary).split('\n')).toHaveLength(1);
  });
});

describe('reconstruction scores in an RGBA run', () => {
  it('scores held-out RGBA images through the RGBA encoder, composited as the sample sheets show them', async () => {
    const folder = await buildAlphaFolder(20);
    try {
      const s = await TrainingSession.create({
        dataset: folder.root,
        out: path.join(root, 'runs'),
        config: { ...SMALL, model: 'vae', steps: 2 },
        backend: 'wasm',
      });
      expect([s.dataset.channels, s.heldOut.length]).toEqual([4, 1]);
      const split = s.splitData();
      expect([split.train.count, split.heldOut.count, imageAt(split.heldOut, 0).length]).toEqual([19, 1, 32 * 32 * 4]);
      const result = await s.train(2);
      s.dispose();
      expect(result.checkpoint).toMatch(/step-00000002$/);
      const [score] = (await readRunSummary(s.runDir)).recon;
      expect(score!.step).toBe(2);
      expect(score!.images).toBe(1);
      expect(score!.psnr).toBeGreaterThan(0);
      expect(score!.ssim).toBeGreaterThan(-1);
    } finally {
      await folder.cleanup();
    }
  });
});
