// The model registry: config → model.
import type { Rng } from '#shared/rng';
import type { TrainConfig } from './config';
import { createFlow } from './flow';
import { createGan } from './gan';
import type { Model } from './model';
import { createVae } from './vae';

export function createModel(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  if (cfg.model === 'flow') return createFlow(cfg, vocabSize, rng);
  return cfg.model === 'gan' ? createGan(cfg, vocabSize, rng) : createVae(cfg, vocabSize, rng);
}
