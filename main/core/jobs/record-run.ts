// Checkpoints and sample sheets that a run folder holds but the store has not recorded (a job that died
// mid-report, a run trained on the command line, a run folder added to the library).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { listCheckpoints } from '../runs/checkpoint';
import type { Store } from '../store';
import type { RunFiles } from './run-files';

export async function recordFromDisk(store: Store, runFiles: RunFiles, runId: number): Promise<void> {
  const { runDir } = runFiles.read(runId);
  if (!runDir) return;
  const dir = runFiles.absolute(runDir);
  const runs = store.runs;
  const sheets = new Set(runs.sampleSheets(runId).map((s) => s.path));
  const names = await fs.readdir(path.join(dir, 'samples')).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^step-\d{8}\.png$/u.test(n)).sort()) {
    const rel = runFiles.relative(path.join(dir, 'samples', name));
    if (!sheets.has(rel)) runs.addSampleSheet({ runId, step: Number(name.slice(5, 13)), path: rel });
  }
  const known = new Set(runs.checkpoints(runId).map((c) => c.path));
  for (const ckpt of await listCheckpoints(dir)) {
    const rel = runFiles.relative(ckpt);
    const manifest = await fs.readFile(path.join(ckpt, 'manifest.json'), 'utf8').catch(() => null);
    if (known.has(rel) || manifest === null) continue;
    runs.addCheckpoint({
      runId,
      step: Number(path.basename(ckpt).slice(5)),
      path: rel,
      manifestHash: createHash('sha256').update(manifest).digest('hex'),
      metrics: {},
    });
  }
  runs.forgetPrunedCheckpoints(runId);
}
