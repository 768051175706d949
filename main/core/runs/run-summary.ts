// What a run folder says about itself: model, dataset, steps trained, and the reconstruction scores
// logged at its checkpoints (ae and vae runs; see recon.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import type { ReconScore } from '../ml/recon';
import type { RunFile } from './session';

export interface RunSummary {
  run: string;
  model: string;
  size: number;
  dataset: string;
  heldOut: number;
  /** The last step logged. */
  step: number;
  recon: (ReconScore & { step: number })[];
}

export async function readRunSummary(runDir: string): Promise<RunSummary> {
  const text = await fs.readFile(path.join(runDir, 'run.json'), 'utf8').catch(() => {
    throw new UserError(`${runDir} is not a Homegrown run folder (no run.json)`);
  });
  const run = JSON.parse(text) as RunFile;
  const log = await fs.readFile(path.join(runDir, 'log.jsonl'), 'utf8').catch(() => '');
  // A line cut short by a crash is skipped; every complete line is one JSON object.
  const lines = log.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l) as { step: number; recon?: ReconScore }];
    } catch {
      return [];
    }
  });
  return {
    run: path.basename(path.resolve(runDir)),
    model: run.config.model,
    size: run.config.size,
    dataset: run.dataset,
    heldOut: run.heldOut?.length ?? 0,
    step: Math.max(0, ...lines.map((l) => l.step)),
    recon: lines.flatMap((l) => (l.recon ? [{ step: l.step, ...l.recon }] : [])),
  };
}

export function formatRunSummary(s: RunSummary): string {
  const out = [`${s.run}: ${s.model} ${s.size}px, step ${s.step}, trained on ${s.dataset}`];
  if (s.recon.length) {
    out.push(`reconstruction of ${s.heldOut} held-out images (mean PSNR, SSIM) at each checkpoint:`);
    for (const r of s.recon) out.push(`  step ${String(r.step).padStart(7)}  ${r.psnr.toFixed(2).padStart(6)} dB  ${r.ssim.toFixed(3)}`);
  } else if (s.heldOut) {
    out.push(`${s.heldOut} images held out; no checkpoint scored yet`);
  }
  return out.join('\n');
}
