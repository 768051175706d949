// docs/reliability.md promise 15: a longer run keeps tensor count flat and process memory growth under a stated cap.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '#core/compute/backend';
import { createModel } from '#core/ml/models';
import { tf } from '#core/compute/tf';
import { emaView, initState, trainStep } from '#core/ml/train';
import { Rng } from '#shared/rng';
import { TINY_VOCAB, tinyConfig, tinyData } from '#test/fixtures/tiny-data';

const CAP_MB = 48;

// RSS also holds garbage V8 has not collected yet: each step leaves ~1 MB of short-lived JS objects,
// so RSS saw-tooths by ~130 MB between major collections. A leak is what survives a full collection.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledRss = () => {
  gc();
  return process.memoryUsage().rss;
};

beforeAll(async () => {
  await initBackend({ force: 'wasm' });
});

describe('soak', () => {
  it(`after warm-up, 300 training steps with sampling in between grow RSS by less than ${CAP_MB} MB`, () => {
    const cfg = tinyConfig();
    const s = initState(createModel(cfg, TINY_VOCAB, new Rng(7)), 7);
    const data = tinyData();
    const sample = () => tf.tidy(() => s.model.generate!(emaView(s), tf.zeros([4, cfg.zDim]), tf.zeros([4, TINY_VOCAB]))).dispose();
    // The wasm heap and V8 settle during the first ~150 steps (measured: RSS then stays within ±15 MB).
    for (let i = 0; i < 150; i++) trainStep(s, data, cfg);
    sample();
    const tensors = tf.memory().numTensors;
    const rss = settledRss();
    for (let i = 0; i < 300; i++) {
      trainStep(s, data, cfg);
      if (i % 25 === 0) sample();
    }
    const grownMb = (settledRss() - rss) / 2 ** 20;
    expect(tf.memory().numTensors).toBe(tensors);
    expect(grownMb).toBeLessThan(CAP_MB);
  });
});
