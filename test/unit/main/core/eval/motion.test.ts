import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, type LoadedDataset } from '#core/dataset/load';
import { evaluateMotion } from '#core/eval/motion';
import { initBackend } from '#core/compute/backend';
import { psnr } from '#core/ml/metrics';
import { MotionModel } from '#core/runs/motion';
import { TrainingSession } from '#core/runs/session';
import { buildMovingSprites } from '#test/fixtures/moving-sprites';

let root: string;
let model: MotionModel;
let data: LoadedDataset;

beforeAll(async () => {
  const backend = await initBackend({ force: 'wasm' });
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-motion-eval-'));
  await buildMovingSprites({ perMotion: 1, frames: 3, motions: ['left', 'rotate'] }, path.join(root, 'train'));
  const session = await TrainingSession.create({
    dataset: path.join(root, 'train'),
    out: path.join(root, 'runs'),
    config: { model: 'flow', steps: 2, batch: 2, channels: 4, sampleEvery: 100 },
    backend: backend.active,
  });
  await session.train(2);
  session.dispose();
  model = await MotionModel.open(session.runDir, backend.active);
  await buildMovingSprites({ perMotion: 2, frames: 4, motions: ['left', 'rotate'], seed: 9 }, path.join(root, 'held-out'));
  data = await loadDataset(path.join(root, 'held-out'), { size: 32 });
}, 120_000);

afterAll(async () => {
  model.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

describe('evaluateMotion', () => {
  it('scores every held-out pair against baselines computed from the frames themselves', async () => {
    const s = await evaluateMotion(model, data, { left: [-1, 0], rotate: 'clockwise' });
    expect(s.pairs).toBe(4 * 3);
    // "copy last frame" is the mean PSNR of each frame against the next.
    const frame = (i: number) => ({ data: data.images.read(i), width: 32, height: 32 });
    const copies = [0, 1, 2, 3].flatMap((q) => [0, 1, 2].map((t) => psnr(frame(4 * q + t), frame(4 * q + t + 1))));
    expect(s.nextFrame.copyLast).toBeCloseTo(copies.reduce((a, b) => a + b) / copies.length, 6);
    for (const v of [s.nextFrame.model, s.nextFrame.linear, s.inbetween.model, s.inbetween.blend]) expect(Number.isFinite(v)).toBe(true);
    expect(Object.keys(s.direction).sort()).toEqual(['left', 'rotate']);
    expect(s.direction.left!.pairs).toBe(6);
    expect(s.direction.left!.correct).toBeGreaterThanOrEqual(0);
    expect(s.direction.left!.correct).toBeLessThanOrEqual(1);
  });
});
