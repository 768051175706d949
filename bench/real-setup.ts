// What the real-folder benches share: their config from --set overrides, and a folder loaded into
// training data with a fresh model, as a run would start (alpha resolved from the folder).
import { Rng } from '../shared/rng';
import { initBackend } from '../main/core/compute/backend';
import { loadDataset } from '../main/core/dataset/load';
import { collectSet } from '../main/cli/set-option';
import { parseConfig, type TrainConfig } from '../main/core/ml/config';
import { createModel } from '../main/core/ml/models';
import { buildVocabulary, captionBags } from '../main/core/ml/text';
import { initState, type TrainData } from '../main/core/ml/train';

/** The config a bench asked for: `base`, then each `--set key=value`. */
export function benchConfig(base: Record<string, unknown>, sets: string[]): TrainConfig {
  return parseConfig({ ...base, ...sets.reduce<Record<string, unknown>>((acc, kv) => collectSet(kv, acc), {}) });
}

export async function setUpTraining(folder: string, asked: TrainConfig) {
  await initBackend();
  const ds = await loadDataset(folder, { size: asked.size, fit: asked.fit, alpha: asked.alpha });
  const cfg: TrainConfig = { ...asked, alpha: ds.channels === 4 ? 'on' : 'off' };
  const captions = ds.items.map((i) => i.caption);
  const vocab = buildVocabulary(captions);
  const data: TrainData = {
    images: ds.images,
    channels: ds.channels,
    bags: captionBags(vocab, captions),
    count: ds.items.length,
    size: ds.size,
    vocabSize: vocab.tokens.length,
  };
  const state = initState(createModel(cfg, vocab.tokens.length, new Rng(cfg.seed)), cfg.seed);
  return { ds, cfg, captions, vocab, data, state };
}
