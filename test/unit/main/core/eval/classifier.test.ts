import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '#core/compute/tf';
import { initBackend } from '#core/compute/backend';
import { Classifier, CLASSIFIER_SIDE } from '#core/eval/classifier';
import { Rng } from '#shared/rng';

beforeAll(() => initBackend({ force: 'wasm' }));

/** A square of `colour` at a random place on white, CLASSIFIER_SIDE² RGB floats in [0, 1]. */
function square(colour: number[], rng: Rng): Float32Array {
  const s = CLASSIFIER_SIDE;
  const img = new Float32Array(s * s * 3).fill(1);
  const x0 = rng.int(s - 12);
  const y0 = rng.int(s - 12);
  for (let y = y0; y < y0 + 12; y++) for (let x = x0; x < x0 + 12; x++) img.set(colour, (y * s + x) * 3);
  return img;
}

describe('eval classifier', () => {
  it('learns captions it can tell apart, gives pooled features, and leaves no tensors behind', () => {
    const rng = new Rng(1);
    const colours = [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0.6, 0],
    ];
    const images = Array.from({ length: 30 }, (_, i) => square(colours[i % 3]!, rng));
    const labels = images.map((_, i) => i % 3);
    const before = tf.memory().numTensors;
    const c = Classifier.train(images, labels, 3, { steps: 80, batch: 16, lr: 3e-3, seed: 0 });
    const test = Array.from({ length: 12 }, (_, i) => square(colours[i % 3]!, rng));
    const { features, predicted } = c.run(test);
    expect(predicted).toEqual(test.map((_, i) => i % 3));
    expect(features).toHaveLength(12);
    expect(features[0]).toHaveLength(64);
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
