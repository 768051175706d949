// A run opened to draw from: the newest good checkpoint of a run folder (or a given checkpoint folder),
// its config, vocabulary and moving-average weights, and the provenance every image it makes records.
// Sampler (images from noise) and MotionModel (frames from frames) are both one.
import path from 'node:path';
import type { Recipe } from '#shared/recipe';
import type { Vocabulary } from '#shared/vocabulary';
import { UserError } from '../errors';
import { APP_VERSION } from '../version';
import { type LoadedCheckpoint, loadLatestGood } from './checkpoint';
import type { TrainConfig } from '../ml/config';
import type { Params } from '../ml/params';
import { activeAdapter } from '../compute/backend';
import { tf } from '../compute/tf';
import { adapterName } from '../compute/webgpu/adapter';

/** The moving-average weights that drawing uses (stored as `ema/<name>`), under their model names. */
function emaWeights(ckpt: LoadedCheckpoint): Params {
  const weights: Params = {};
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    if (name.startsWith('ema/')) weights[name.slice(4)] = tf.variable(tf.tensor(t.values, t.shape), false);
  }
  return weights;
}

/** The run folder's name, for a checkpoint inside `<run>/checkpoints/` or one standing alone. */
function runNameOf(ckpt: LoadedCheckpoint): string {
  const parent = path.dirname(ckpt.dir);
  return path.basename(path.basename(parent) === 'checkpoints' ? path.dirname(parent) : ckpt.dir);
}

/** A run opened to draw from (Sampler, MotionModel): its checkpoint, config, vocabulary and EMA weights. */
export abstract class OpenedRun {
  constructor(
    readonly ckpt: LoadedCheckpoint,
    readonly cfg: TrainConfig,
    readonly vocab: Vocabulary,
    /** The moving-average weights under their model names. */
    readonly weights: Params,
    readonly backend: string,
    readonly runName: string,
  ) {}

  /** The recipe fields that say which run, checkpoint, size, backend and app made an image. */
  protected provenance(): Pick<Recipe, 'model' | 'run' | 'checkpoint' | 'step' | 'size' | 'backend' | 'adapter' | 'appVersion'> {
    const adapter = activeAdapter();
    return {
      model: this.cfg.model,
      run: this.runName,
      checkpoint: this.ckpt.hash,
      step: this.ckpt.state.step,
      size: this.cfg.size,
      backend: this.backend,
      ...(adapter && { adapter: adapterName(adapter) }),
      appVersion: APP_VERSION,
    };
  }
}

/**
 * What an OpenedRun is built from. `target`: a run folder (its newest good checkpoint) or a checkpoint
 * folder; `refuse` says why this kind of run cannot be used here, or nothing.
 */
export async function openRun(
  target: string,
  backend: string,
  warn: ((m: string) => void) | undefined,
  refuse: (cfg: TrainConfig, runName: string) => string | undefined,
): Promise<ConstructorParameters<typeof OpenedRun>> {
  const ckpt = await loadLatestGood(target, warn);
  const cfg = ckpt.state.config;
  const runName = runNameOf(ckpt);
  const why = refuse(cfg, runName);
  if (why) throw new UserError(why);
  return [ckpt, cfg, ckpt.vocab, emaWeights(ckpt), backend, runName];
}
