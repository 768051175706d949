// `homegrown train <folder>`'s config: the folder's defaults under the preset, --set and named flags
// (unless --no-folder-defaults), and a --minutes budget. Prints why the folder chose what it chose.
import { InvalidArgumentError } from 'commander';
import { MAX_STEPS, type TrainConfig } from '../core/ml/config';
import { planTraining } from '../core/runs/folder-plan';
import { progressBar, type Progress } from './progress';

/** --minutes: a positive number of minutes (fractions allowed). */
export function minutesOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a positive number of minutes, e.g. 20 or 0.5');
  return n;
}

/**
 * The config and, when the folder chose anything, the lines that say what and why (printed once the
 * run starts, so a refused folder still answers in one line).
 */
export async function folderConfig(
  folder: string,
  o: { folderDefaults?: boolean; minutes?: number },
  preset: Partial<TrainConfig> | undefined,
  asked: Record<string, unknown>,
): Promise<{ config: TrainConfig; note: string }> {
  const plan = await planTraining(folder, { folderDefaults: o.folderDefaults, preset, asked, minutes: o.minutes });
  if (!plan.reasons.length) return { config: plan.config, note: '' };
  const { facts } = plan;
  const about = `${facts.count} images, ${facts.nativeSize} px${facts.pixelArt ? ', pixel art' : ''}${facts.transparency ? ', transparent' : ''}`;
  const note = `settings from the folder (${about}; --no-folder-defaults to skip):\n${plan.reasons.map((r) => `  ${r}\n`).join('')}`;
  return { config: plan.config, note };
}

/** Steps to train: as asked, else (with a budget) as many as fit, else the run's own count. */
export function stepsToTrain(
  o: { steps?: number; minutes?: number; resume?: string },
  session: { cfg: TrainConfig; state: { step: number } },
): number {
  if (o.steps !== undefined) return o.steps;
  if (o.minutes !== undefined) return Math.max(1, MAX_STEPS - session.state.step);
  return session.cfg.steps;
}

/** A progress bar over the budget's seconds, naming the step in its info. */
export function budgetBar(minutes: number): Progress {
  const seconds = Math.round(minutes * 60);
  const bar = progressBar('train (s)', seconds, 0, 10);
  const t0 = Date.now();
  let shown = -1;
  return {
    update: (step, fields) => {
      const elapsed = Math.min(seconds, Math.floor((Date.now() - t0) / 1000));
      if (elapsed === shown) return;
      shown = elapsed;
      bar.update(elapsed, { ...fields, info: `step ${step} | ${fields.info ?? ''}` });
    },
    stop: () => bar.stop(),
  };
}
