import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { initBackend } from '#core/compute/backend';
import { Sampler } from '#core/runs/sampler';
import { TrainingSession } from '#core/runs/session';
import { tf } from '#core/compute/tf';
import { walk } from '#core/runs/walk';

const SMALL = { size: 32, channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, sampleEvery: 1000, checkpointEvery: 1000 };
let root: string;
const runs: Record<string, string> = {};

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-walk-'));
  const data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 8 });
  for (const model of ['gan', 'vae', 'ae'] as const) {
    const s = await TrainingSession.create({
      dataset: data,
      out: path.join(root, 'runs'),
      config: { ...SMALL, model, steps: 4 },
      backend: 'wasm',
    });
    await s.train(4);
    s.dispose();
    runs[model] = s.runDir;
  }
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe.each(['gan', 'vae', 'ae'] as const)('a walk on a %s run', (model) => {
  it('starts and ends at the two samples, with every frame different in between, and recipes', async () => {
    const sampler = await Sampler.open(runs[model]!, 'wasm');
    try {
      const before = tf.memory().numTensors;
      const w = await walk(sampler, { from: 'red, circle', to: 'blue, square', frames: 5, seeds: [3, 4] });
      expect(tf.memory().numTensors).toBe(before);
      expect(w.set.frames).toHaveLength(5);
      expect([w.set.width, w.set.height]).toEqual([32, 32]);
      expect(same(w.set.frames[0]!, (await sampler.sample({ prompt: 'red, circle', seed: 3 })).pixels)).toBe(true);
      expect(same(w.set.frames[4]!, (await sampler.sample({ prompt: 'blue, square', seed: 4 })).pixels)).toBe(true);
      for (let i = 1; i < 5; i++) expect(same(w.set.frames[i]!, w.set.frames[i - 1]!)).toBe(false);
      expect(w.recipe).toMatchObject({ prompt: 'red, circle', seed: 3, toPrompt: 'blue, square', toSeed: 4, frames: 5, model });
      expect(w.frameRecipes.map((r) => r.frame)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      sampler.dispose();
    }
  });
});

describe('walk', () => {
  it('with one seed blends only the prompts; the same prompts and seed give still frames', async () => {
    const sampler = await Sampler.open(runs.gan!, 'wasm');
    try {
      const still = await walk(sampler, { from: 'red, circle', to: 'red, circle', frames: 3, seeds: [2, 2] });
      expect(still.set.frames.every((f) => same(f, still.set.frames[0]!))).toBe(true);
      const unknown = await walk(sampler, { from: 'red, circle', to: 'purple, blob', frames: 2, seeds: [2, 2] });
      expect(unknown.unknown).toEqual(['purple', 'blob']);
    } finally {
      sampler.dispose();
    }
  });

  it('refuses fewer than 2 frames or more than 256', async () => {
    const sampler = await Sampler.open(runs.ae!, 'wasm');
    try {
      for (const frames of [1, 257, 2.5]) {
        await expect(walk(sampler, { from: 'red', to: 'blue', frames, seeds: [0, 0] })).rejects.toThrow(/a walk needs 2 to 256 frames/);
      }
    } finally {
      sampler.dispose();
    }
  });
});
