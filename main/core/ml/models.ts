// The model registry: config → model.
import type { Rng } from '../../../shared/rng';
import type { TrainConfig } from './config';
import { createGan } from './gan';
import type { Model } from './model';
import { createVae } from './vae';

export function createModel(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  return cfg.model === 'gan' ? createGan(cfg, vocabSize, rng) : createVae(cfg, vocabSize, rng);
}
