import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { estimateFlow, predictNext, smoothness, ssimLoss } from '#core/ml/flow';
import { createModel } from '#core/ml/models';
import { tf } from '#core/compute/tf';
import { initState, trainStep, type TrainData } from '#core/ml/train';
import { Rng } from '#shared/rng';
import { spriteSequence } from '#test/fixtures/moving-sprites';
import { tinyConfig } from '#test/fixtures/tiny-data';

/** Pairs from a few "right"/"left" sprite sequences; caption bag [unk, right, left]. */
function spritePairs(): TrainData {
  const rng = new Rng(5);
  const frames: Uint8Array[] = [];
  const bags: number[] = [];
  const pairs: number[] = [];
  for (const motion of ['right', 'left', 'right', 'left'] as const) {
    const seq = spriteSequence(motion, rng, { size: 32, frames: 4, speed: 2, degrees: 20 });
    seq.forEach((f, t) => {
      if (t > 0) pairs.push(frames.length - 1, frames.length);
      frames.push(f);
      bags.push(0, motion === 'right' ? 1 : 0, motion === 'left' ? 1 : 0);
    });
  }
  const images = new Uint8Array(frames.length * 32 * 32 * 3);
  frames.forEach((f, i) => images.set(f, i * f.length));
  return { images, bags: Float32Array.from(bags), count: frames.length, size: 32, vocabSize: 3, pairs: Uint32Array.from(pairs) };
}

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('flow model', () => {
  it('refuses, on wasm, a batch whose warp matrices cannot fit, and names the batch that does', () => {
    expect(tf.getBackend()).toBe('wasm');
    const big = { ...tinyConfig({ model: 'flow' }), size: 128 as const, batch: 16 };
    expect(() => createModel(big, 3, new Rng(1))).toThrow(/batch 16 .*use --batch 4 or less at 128 px/);
    const m = createModel({ ...big, batch: 4 }, 3, new Rng(1));
    Object.values(m.params).forEach((v) => v.dispose());
  });

  it('predicts a next frame, flow, mask and residual of the right shapes', () => {
    const cfg = tinyConfig({ model: 'flow' });
    const m = createModel(cfg, 3, new Rng(1));
    expect(m.kind).toBe('flow');
    expect(m.generate).toBeUndefined();
    tf.tidy(() => {
      const x = tf.randomUniform([2, 32, 32, 3], -1, 1) as tf.Tensor4D;
      const out = predictNext(m.params, x, tf.zeros([2, 3]));
      expect(out.next.shape).toEqual([2, 32, 32, 3]);
      expect(out.flow.shape).toEqual([2, 32, 32, 2]);
      expect(out.mask.shape).toEqual([2, 32, 32, 1]);
      expect(estimateFlow(m.params, x, x, 3).shape).toEqual([2, 32, 32, 2]);
    });
    Object.values(m.params).forEach((v) => v.dispose());
  });

  it('SSIM loss is 0 for equal images and grows with difference; smoothness is 0 for a constant flow', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
      expect(ssimLoss(x, x).dataSync()[0]).toBeCloseTo(0, 5);
      const noisy = tf.add(x, tf.randomNormal([1, 8, 8, 3], 0, 0.3, 'float32', 4)) as tf.Tensor4D;
      expect(ssimLoss(x, noisy).dataSync()[0]).toBeGreaterThan(0.05);
      expect(smoothness(tf.fill([1, 8, 8, 2], 1.5) as tf.Tensor4D).dataSync()[0]).toBe(0);
    });
  });

  it('a few training steps on frame pairs reduce the loss, with no tensors left behind', () => {
    const cfg = tinyConfig({ model: 'flow', lr: 3e-3, beta1: 0.5, channels: 4 });
    const data = spritePairs();
    const s = initState(createModel(cfg, data.vocabSize, new Rng(2)), 2);
    const losses = [trainStep(s, data, cfg).flow!];
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 24; i++) losses.push(trainStep(s, data, cfg).flow!);
    expect(tf.memory().numTensors).toBe(tensors);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-6))).toBeLessThan(0.8 * mean(losses.slice(0, 6)));
  });
});
