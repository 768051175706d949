// `homegrown eval --folder <dir>`: trains a run on the folder within a time (and step) budget in equal
// legs, each ending with a checkpoint, so the run has a curve to measure; then measures every
// checkpoint (run-quality.ts). Time spent measuring is not taken from the training budget.
import type { RunQuality } from '#shared/api/runs';
import type { StepInfo } from '../ml/train';
import { TrainingSession } from '../runs/session';
import { measureRun, type RunQualityOptions } from './run-quality';

export interface FolderEvalOptions extends RunQualityOptions {
  folder: string;
  out: string;
  minutes: number;
  /** Total step budget; training also stops when the minutes run out. */
  steps: number;
  checkpoints: number;
  config: Record<string, unknown>;
  onStep?(info: StepInfo & { untilStep: number }): void;
}

export async function evaluateFolder(o: FolderEvalOptions): Promise<RunQuality & { runDir: string; steps: number }> {
  const session = await TrainingSession.create({
    dataset: o.folder,
    out: o.out,
    // Every leg ends with its own checkpoint; none are pruned, so the whole curve is measured.
    config: { ...o.config, steps: o.steps, checkpointEvery: o.steps + 1, keepCheckpoints: o.checkpoints + 1 },
    backend: o.backend,
    cacheDir: o.cacheDir,
  });
  let step = 0;
  try {
    const leg = Math.ceil(o.steps / o.checkpoints);
    for (let i = 0; i < o.checkpoints && step < o.steps; i++) {
      const r = await session.train(Math.min(leg, o.steps - step), { onStep: o.onStep }, o.minutes / o.checkpoints);
      step = r.step;
    }
  } finally {
    session.dispose();
  }
  return { ...(await measureRun(session.runDir, o)), runDir: session.runDir, steps: step };
}
