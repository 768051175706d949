// `homegrown eval`: train on the synthetic shapes × colours set for a fixed time or step budget,
// then measure prompt adherence by analysing generated images for the requested colour and shape.
// With a held-out combination, that prompt was never seen in training: its score measures whether
// the model composes the two words it learned separately.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ReconScore } from '../ml/recon';
import { readRunSummary } from '../runs/run-summary';
import { Sampler } from '../runs/sampler';
import { TrainingSession } from '../runs/session';
import type { StepInfo } from '../ml/train';
import { type AdherenceScore, scoreAdherence } from './adherence';
import { allCombos, writeShapesDataset } from './shapes-dataset';

export interface EvalOptions {
  model: 'gan' | 'vae' | 'ae';
  size: number;
  /** Wall-clock training budget; training also stops at `steps`. */
  minutes: number;
  steps: number;
  samples: number;
  perCombo: number;
  seed: number;
  holdOut?: { colour: string; shape: string };
  out: string;
  backend: string;
  config?: Record<string, unknown>;
  onStep?(info: StepInfo & { untilStep: number }): void;
}

export interface EvalReport {
  model: string;
  size: number;
  backend: string;
  steps: number;
  trainSeconds: number;
  trainImages: number;
  samples: number;
  adherence: Omit<AdherenceScore, 'perCombo'>;
  perCombo: AdherenceScore['perCombo'];
  heldOut?: { prompt: string } & Omit<AdherenceScore, 'perCombo'>;
  /** ae and vae: reconstruction of held-out training images at the last checkpoint. */
  reconstruction?: ReconScore;
  runDir: string;
}

export async function evaluate(o: EvalOptions): Promise<EvalReport> {
  const dataDir = path.join(o.out, `shapes-${o.size}-${o.seed}${o.holdOut ? `-no-${o.holdOut.colour}-${o.holdOut.shape}` : ''}`);
  await fs.rm(dataDir, { recursive: true, force: true });
  const data = await writeShapesDataset(dataDir, { size: o.size, perCombo: o.perCombo, seed: o.seed, holdOut: o.holdOut });
  const session = await TrainingSession.create({
    dataset: dataDir,
    out: o.out,
    config: { sampleEvery: 500, checkpointEvery: 1000, ...o.config, model: o.model, size: o.size, steps: o.steps, seed: o.seed },
    backend: o.backend,
  });
  const t0 = Date.now();
  let result;
  try {
    result = await session.train(o.steps, { onStep: o.onStep }, o.minutes);
    await session.writeSampleSheet();
  } finally {
    session.dispose();
  }
  const trainSeconds = (Date.now() - t0) / 1000;

  const sampler = await Sampler.open(result.checkpoint, o.backend);
  const combos = allCombos();
  const seen = combos.filter((c) => !(c.colour === o.holdOut?.colour && c.shape === o.holdOut?.shape));
  const draw = async (colour: string, shape: string, seed: number) => ({
    pixels: (await sampler.sample({ prompt: `${colour}, ${shape}`, seed })).pixels,
    size: o.size,
    colour,
    shape,
  });
  try {
    // Samples spread evenly over every trained prompt, seeds disjoint from the sample sheet's.
    const samples = [];
    for (let i = 0; i < o.samples; i++) samples.push(await draw(seen[i % seen.length]!.colour, seen[i % seen.length]!.shape, 1000 + i));
    const { perCombo, ...adherence } = scoreAdherence(samples);
    let heldOut: EvalReport['heldOut'];
    if (o.holdOut) {
      const { colour, shape } = o.holdOut;
      const held = [];
      for (let i = 0; i < 50; i++) held.push(await draw(colour, shape, 5000 + i));
      const { perCombo: _, ...score } = scoreAdherence(held);
      heldOut = { prompt: `${colour}, ${shape}`, ...score };
    }
    const report: EvalReport = {
      model: o.model,
      size: o.size,
      backend: o.backend,
      steps: result.step,
      trainSeconds: Math.round(trainSeconds),
      trainImages: data.count - session.heldOut.length,
      samples: samples.length,
      adherence,
      perCombo,
      heldOut,
      reconstruction: (await readRunSummary(session.runDir)).recon.at(-1),
      runDir: session.runDir,
    };
    await fs.writeFile(path.join(session.runDir, 'eval.json'), JSON.stringify(report, null, 2));
    return report;
  } finally {
    sampler.dispose();
  }
}
