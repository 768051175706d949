import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';
import { parseConfig } from '#core/ml/config';
import { channelPlan, sizePlan } from '#core/ml/model';
import { createModel } from '#core/ml/models';
import { initState, trainStep } from '#core/ml/train';
import { Rng } from '#shared/rng';
import { TINY_VOCAB, tinyConfig, tinyData } from '#test/fixtures/tiny-data';

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('size arithmetic', () => {
  it.each([
    [16, 4, 2],
    [24, 6, 2],
    [32, 4, 3],
    [64, 4, 4],
    [72, 9, 3],
    [128, 4, 5],
    [200, 25, 3],
    [256, 4, 6],
  ])('%i px starts from a %i×%i grid and up-samples %i times', (size, grid, ups) => {
    expect(sizePlan(size)).toEqual({ grid, ups });
    expect(grid * 2 ** ups).toBe(size);
    expect(channelPlan(size, 16)).toHaveLength(ups + 1);
  });

  it('every multiple of 8 from 16 to 256 is a training size; others are refused in words', () => {
    for (let s = 16; s <= 256; s += 8) expect(parseConfig({ size: s }).size).toBe(s);
    for (const s of [8, 12, 50, 264, 72.5]) expect(() => parseConfig({ size: s })).toThrow(/multiple of 8 from 16 to 256/);
  });
});

// Pairs of frames, so the flow model has something to predict: frame i+1 follows frame i.
function framePairs(size: number) {
  const data = tinyData(size, 4);
  return { ...data, pairs: Uint32Array.from([0, 1, 1, 2, 2, 3]) };
}

describe.each([72, 24, 200])('%i px', (size) => {
  it.each(['gan', 'vae', 'ae', 'flow'] as const)('%s: a real training step gives finite losses and moves the weights', (model) => {
    // The flow model's warp holds [B, S², S·3] matrices: one pair at a time at 200 px.
    const cfg = tinyConfig({ model, size, batch: model === 'flow' ? 1 : 2 });
    const state = initState(createModel(cfg, TINY_VOCAB, new Rng(1)), 1);
    const data = model === 'flow' ? framePairs(size) : tinyData(size, 4);
    const before = Object.fromEntries(Object.entries(state.model.params).map(([k, v]) => [k, v.dataSync().slice()]));
    const losses = trainStep(state, data, cfg);
    for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
    const moved = Object.entries(state.model.params).filter(([k, v]) => v.dataSync().some((x, i) => x !== before[k]![i]));
    expect(moved.length).toBeGreaterThan(Object.keys(before).length / 2);
    if (state.model.generate) {
      const x = tf.tidy(() => state.model.generate!(state.model.params, tf.zeros([1, cfg.zDim]), tf.zeros([1, TINY_VOCAB])));
      expect(x.shape).toEqual([1, size, size, 3]);
      x.dispose();
    }
    tf.dispose([...Object.values(state.model.params), ...Object.values(state.ema), ...Object.values(state.slots)]);
  });
});
