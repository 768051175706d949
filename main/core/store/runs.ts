// Training runs and what they leave behind: checkpoints and sample sheets, written by the trainer into
// runs/<id>/ and recorded here once they are complete on disk.
import type { Db } from './open';
import type { AppFiles } from './files';
import { UserError } from '../errors';
import { storedPath } from '../files/paths';

export type RunStatus = 'pending' | 'running' | 'stopped' | 'interrupted' | 'completed' | 'failed';
export type JsonObject = Record<string, unknown>;

export interface Run {
  id: number;
  datasetId: number | null;
  model: string;
  config: JsonObject;
  status: RunStatus;
  backend: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

export interface Checkpoint {
  id: number;
  runId: number;
  step: number;
  /** Relative to the app data folder. */
  path: string;
  manifestHash: string;
  metrics: JsonObject;
  createdAt: number;
}

export interface SampleSheet {
  id: number;
  runId: number;
  step: number;
  path: string;
  createdAt: number;
}

type Stored<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

const RUN = `SELECT id, dataset_id AS datasetId, model, config, status, backend, created_at AS createdAt,
  started_at AS startedAt, finished_at AS finishedAt, updated_at AS updatedAt FROM runs`;
const CHECKPOINT = `SELECT id, run_id AS runId, step, path, manifest_hash AS manifestHash, metrics,
  created_at AS createdAt FROM checkpoints`;
const SHEET = 'SELECT id, run_id AS runId, step, path, created_at AS createdAt FROM sample_sheets';
const FINISHED: readonly RunStatus[] = ['stopped', 'interrupted', 'completed', 'failed'];

export class Runs {
  private readonly insert;
  private readonly byId;
  private readonly all;
  private readonly updateStatus;
  private readonly insertCheckpoint;
  private readonly checkpointsOf;
  private readonly insertSheet;
  private readonly sheetsOf;
  private readonly filesOf;
  private readonly datasetRoots;
  private readonly deleteOne;
  private readonly deleteCheckpoint;
  private readonly recordCheckpoint;

  constructor(
    db: Db,
    private readonly files: AppFiles,
  ) {
    this.insert = db.prepare<[number | null, string, string, string | null, number, number], { id: number }>(
      `INSERT INTO runs (dataset_id, model, config, status, backend, created_at, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
    );
    this.byId = db.prepare<[number], Stored<Run, 'config'>>(`${RUN} WHERE id = ?`);
    this.all = db.prepare<[], Stored<Run, 'config'>>(`${RUN} ORDER BY created_at DESC, id DESC`);
    // started_at is the first time it ran (a resumed run keeps it); finished_at the latest stop.
    this.updateStatus = db.prepare<{ id: number; status: RunStatus; backend: string | null; at: number; finished: 0 | 1 }>(
      `UPDATE runs SET status = @status, backend = coalesce(@backend, backend), updated_at = @at,
         started_at = CASE WHEN @status = 'running' THEN coalesce(started_at, @at) ELSE started_at END,
         finished_at = CASE WHEN @finished THEN @at WHEN @status = 'running' THEN NULL ELSE finished_at END
       WHERE id = @id`,
    );
    this.insertCheckpoint = db.prepare<[number, number, string, string, string, number], { id: number }>(
      `INSERT INTO checkpoints (run_id, step, path, manifest_hash, metrics, created_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.checkpointsOf = db.prepare<[number], Stored<Checkpoint, 'metrics'>>(`${CHECKPOINT} WHERE run_id = ? ORDER BY step`);
    this.insertSheet = db.prepare<[number, number, string, number], SampleSheet>(
      `INSERT INTO sample_sheets (run_id, step, path, created_at) VALUES (?, ?, ?, ?)
       RETURNING id, run_id AS runId, step, path, created_at AS createdAt`,
    );
    this.sheetsOf = db.prepare<[number], SampleSheet>(`${SHEET} WHERE run_id = ? ORDER BY step`);
    this.filesOf = db.prepare<[number, number, number], { path: string }>(
      `SELECT path FROM checkpoints WHERE run_id = ? UNION SELECT path FROM sample_sheets WHERE run_id = ?
       UNION SELECT path FROM generations WHERE run_id = ?`,
    );
    this.datasetRoots = db.prepare<[], { root: string }>('SELECT root FROM datasets');
    this.deleteOne = db.prepare<[number]>('DELETE FROM runs WHERE id = ?');
    this.deleteCheckpoint = db.prepare<[number]>('DELETE FROM checkpoints WHERE id = ?');
    this.recordCheckpoint = db.transaction((input: Omit<Checkpoint, 'id' | 'createdAt'>, createdAt: number) => {
      const { id } = this.insertCheckpoint.get(
        input.runId,
        input.step,
        input.path,
        input.manifestHash,
        JSON.stringify(input.metrics),
        createdAt,
      )!;
      this.forgetPrunedCheckpoints(input.runId);
      return id;
    });
  }

  create(input: { model: string; config: JsonObject; datasetId?: number; backend?: string; now?: number }): Run {
    const now = input.now ?? Date.now();
    const { id } = this.insert.get(input.datasetId ?? null, input.model, JSON.stringify(input.config), input.backend ?? null, now, now)!;
    return this.get(id)!;
  }

  get(id: number): Run | undefined {
    const row = this.byId.get(id);
    return row && { ...row, config: JSON.parse(row.config) };
  }

  /** Newest first. */
  list(): Run[] {
    return this.all.all().map((row) => ({ ...row, config: JSON.parse(row.config) }));
  }

  setStatus(id: number, status: RunStatus, options: { backend?: string; now?: number } = {}): void {
    const finished = FINISHED.includes(status) ? 1 : 0;
    const at = options.now ?? Date.now();
    const { changes } = this.updateStatus.run({ id, status, backend: options.backend ?? null, at, finished });
    if (changes === 0) throw new UserError(`There is no run ${id}`);
  }

  /** Relative folder the trainer writes this run's files into. */
  folder(id: number): string {
    return this.files.runFolder(id);
  }

  /**
   * Records a checkpoint the trainer has already written and renamed into place. The trainer prunes
   * old checkpoints (keepCheckpoints) as it saves a new one, so the same transaction forgets the run's
   * checkpoints whose folders are gone: no row is left pointing at a pruned folder.
   */
  addCheckpoint(input: Omit<Checkpoint, 'id' | 'createdAt'> & { now?: number }): Checkpoint {
    const rel = this.existing(input.path);
    const createdAt = input.now ?? Date.now();
    const id = this.recordCheckpoint({ ...input, path: rel }, createdAt);
    const { runId, step, manifestHash } = input;
    return { id, runId, step, path: rel, manifestHash, metrics: input.metrics, createdAt };
  }

  /**
   * Deletes the rows of a run's checkpoints whose folders are no longer on disk (pruned, or lost);
   * generations made from them keep their recipe and lose only the link. Returns how many.
   */
  forgetPrunedCheckpoints(runId: number): number {
    let forgotten = 0;
    for (const c of this.checkpointsOf.all(runId)) {
      if (!this.files.exists(c.path)) forgotten += this.deleteCheckpoint.run(c.id).changes;
    }
    return forgotten;
  }

  /** Oldest step first. */
  checkpoints(runId: number): Checkpoint[] {
    return this.checkpointsOf.all(runId).map((row) => ({ ...row, metrics: JSON.parse(row.metrics) }));
  }

  addSampleSheet(input: { runId: number; step: number; path: string; now?: number }): SampleSheet {
    const rel = this.existing(input.path);
    return this.insertSheet.get(input.runId, input.step, rel, input.now ?? Date.now())!;
  }

  sampleSheets(runId: number): SampleSheet[] {
    return this.sheetsOf.all(runId);
  }

  /**
   * Deletes the run with its checkpoints, sample sheets and generations: rows first (one statement,
   * cascading), then files, so a crash in between leaves orphan files but never a row without its
   * file. Dataset folders are checked before anything is deleted and are never touched; nor is a run
   * folder kept outside the app data folder (reached through a link in runs/<id>/): only the link goes.
   */
  async delete(id: number): Promise<void> {
    if (!this.get(id)) throw new UserError(`There is no run ${id}`);
    const paths = [this.folder(id), ...this.filesOf.all(id, id, id).map((r) => r.path)].filter((p) => this.files.isOurs(p));
    const roots = this.datasetRoots.all().map((r) => r.root);
    this.files.assertRemovable(paths, roots);
    this.deleteOne.run(id);
    await this.files.remove(paths, roots);
  }

  // A row must never point at a file that is not there (docs/reliability.md promise 9).
  private existing(relative: string): string {
    const rel = storedPath(relative);
    if (!this.files.exists(rel)) throw new Error(`Cannot record ${rel}: the file is not there`);
    return rel;
  }
}
