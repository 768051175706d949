// A run's quality curve on disk: <run>/quality.jsonl, the reference on its first line and one line per
// measured checkpoint after it, appended as each is measured; and the best checkpoint of the curve.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { QualityPoint, QualityReference, type RunQuality } from '#shared/api/runs';
import { writeFileDurable } from '../files/durable';

export const QUALITY_FILE = 'quality.jsonl';
/** A checkpoint copying more than this share of its generations is not picked as best while another is not. */
export const MAX_COPY_RATE = 0.05;

export async function readQuality(runDir: string): Promise<RunQuality> {
  const text = await fs.readFile(path.join(runDir, QUALITY_FILE), 'utf8').catch(() => '');
  const lines = text.split('\n').filter((l) => l.trim());
  const parse = (l: string): unknown => {
    try {
      return JSON.parse(l);
    } catch {
      return null; // a line cut short by a crash
    }
  };
  const reference = QualityReference.safeParse(lines.length ? parse(lines[0]!) : null);
  if (!reference.success) return { reference: null, points: [], best: null };
  const points = lines.slice(1).flatMap((l) => {
    const p = QualityPoint.safeParse(parse(l));
    return p.success ? [p.data] : [];
  });
  points.sort((a, b) => a.step - b.step);
  return { reference: reference.data, points, best: bestCheckpoint(points) };
}

/** Starts a new curve: the file holds only the reference. */
export async function startQuality(runDir: string, reference: QualityReference): Promise<void> {
  await writeFileDurable(path.join(runDir, QUALITY_FILE), Buffer.from(`${JSON.stringify(reference)}\n`));
}

export async function appendQuality(runDir: string, point: QualityPoint): Promise<void> {
  await fs.appendFile(path.join(runDir, QUALITY_FILE), `${JSON.stringify(point)}\n`);
}

/**
 * The checkpoint with the lowest overall KID among those that copy at most MAX_COPY_RATE of their
 * generations (all of them when none does); null before any checkpoint has a KID.
 */
export function bestCheckpoint(points: QualityPoint[]): RunQuality['best'] {
  const scored = points.filter((p) => p.overall.kid !== null);
  if (!scored.length) return null;
  const original = scored.filter((p) => (p.overall.copyRate ?? 0) <= MAX_COPY_RATE);
  const pool = original.length ? original : scored;
  const best = pool.reduce((a, b) => (b.overall.kid! < a.overall.kid! ? b : a));
  const copies = original.length
    ? `, copying at most ${MAX_COPY_RATE * 100} %`
    : '; every checkpoint copies more than 5 % of its generations';
  return { step: best.step, reason: `lowest KID (${best.overall.kid!.toFixed(4)}) of ${scored.length} checkpoints${copies}` };
}
