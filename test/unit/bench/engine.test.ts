import { describe, expect, it } from 'vitest';
import { benchTrain } from '../../../bench/engine';
import { MODELS } from '#core/ml/config';

// `npm run bench` times every model by default: each must train on the bench's synthetic data.
describe('bench/engine.ts', () => {
  it.each([...MODELS])('times a %s training step on synthetic data', async (model) => {
    const trial = await benchTrain({ model, size: 32, batch: 2, steps: 1, warmup: 0, vocab: 8, backend: 'wasm' });
    expect(trial.model).toBe(model);
    expect(trial.step_ms).toBeGreaterThan(0);
    expect(trial.upsample).toBe(model === 'flow' ? null : 'resize');
  });
});
