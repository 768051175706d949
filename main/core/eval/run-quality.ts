// `homegrown eval <run>`: the quality of every checkpoint of a run against its training folder, kept as
// the run's curve (quality-file.ts). Checkpoints already on the curve are not measured again as long
// as the real side (folder, classifier, settings) is unchanged; otherwise the curve starts over.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type QualityPoint, QualityReference, type RunQuality } from '#shared/api/runs';
import { UserError } from '../errors';
import { listCheckpoints } from '../runs/checkpoint';
import type { RunFile } from '../runs/session';
import { measureCheckpoint } from './checkpoint-quality';
import { appendQuality, bestCheckpoint, readQuality, startQuality } from './quality-file';
import { prepareReference, QUALITY_DEFAULTS, type QualitySettings } from './reference';

export interface RunQualityOptions {
  backend: string;
  settings?: Partial<QualitySettings>;
  cacheDir?: string;
  onPoint?(point: QualityPoint, done: number, total: number): void;
}

export async function measureRun(runDir: string, o: RunQualityOptions): Promise<RunQuality> {
  const runText = await fs.readFile(path.join(runDir, 'run.json'), 'utf8').catch(() => null);
  if (!runText) throw new UserError(`${runDir} is not a Homegrown run folder (no run.json); pass the folder \`homegrown train\` created`);
  const run = JSON.parse(runText) as RunFile;
  if (run.config.model === 'flow')
    throw new UserError(
      'a flow run draws motion from frames, not images from prompts: its quality is measured by `homegrown eval` on motion, not here',
    );
  const checkpoints = await listCheckpoints(runDir);
  if (!checkpoints.length) throw new UserError(`${runDir} has no checkpoints yet; train it first`);
  const settings = { ...QUALITY_DEFAULTS, ...o.settings };
  const ref = await prepareReference(run.dataset, run.config, settings, o.cacheDir);
  try {
    const before = await readQuality(runDir);
    const same = before.reference !== null && JSON.stringify(before.reference) === JSON.stringify(QualityReference.parse(ref.summary));
    const points = same ? before.points : [];
    if (!same) await startQuality(runDir, ref.summary);
    const measured = new Set(points.map((p) => p.step));
    const todo = checkpoints.filter((c) => !measured.has(Number(path.basename(c).slice(5))));
    for (const [i, dir] of todo.entries()) {
      const point = await measureCheckpoint(dir, ref, o.backend);
      await appendQuality(runDir, point);
      points.push(point);
      o.onPoint?.(point, i + 1, todo.length);
    }
    points.sort((a, b) => a.step - b.step);
    return { reference: ref.summary, points, best: bestCheckpoint(points) };
  } finally {
    ref.dispose();
  }
}
