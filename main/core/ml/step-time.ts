// How long one training step of a config takes on this machine, measured with real steps on random
// data, so the app and the CLI can say before starting how long a useful result takes.
import { Rng } from '#shared/rng';
import { imageChannels } from './alpha';
import type { TrainConfig } from './config';
import { createModel } from './models';
import { initState, stateTensors, trainStepAsync } from './train';

/**
 * Steps after which a run is worth looking at, from the shapes set (models.md): the GAN followed
 * colour and shape at 1764 steps, the VAE at 3080.
 */
export const USEFUL_STEPS: Record<TrainConfig['model'], number> = { gan: 2000, vae: 3000, ae: 3000, flow: 2000 };

const VOCAB = 8;

/** Mean milliseconds of `steps` training steps after one warm-up step (which compiles kernels). */
export async function measureStepMs(cfg: TrainConfig, steps = 2): Promise<number> {
  const state = initState(createModel(cfg, VOCAB, new Rng(cfg.seed)), cfg.seed);
  const count = Math.max(2, cfg.batch);
  const channels = cfg.model === 'flow' ? 3 : imageChannels(cfg);
  const rng = new Rng(1);
  const data = {
    images: Uint8Array.from({ length: count * cfg.size * cfg.size * channels }, () => rng.int(256)),
    bags: Float32Array.from({ length: count * VOCAB }, (_, i) => (i % VOCAB === 1 ? 1 : 0)),
    channels: channels as 3 | 4,
    count,
    size: cfg.size,
    vocabSize: VOCAB,
    pairs: cfg.model === 'flow' ? Uint32Array.from([0, 1]) : undefined,
  };
  try {
    await trainStepAsync(state, data, cfg);
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await trainStepAsync(state, data, cfg);
    return (performance.now() - t0) / steps;
  } finally {
    for (const v of Object.values(stateTensors(state))) v.dispose();
  }
}
