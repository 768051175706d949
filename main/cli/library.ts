// The app's library from the command line: the same store (HOMEGROWN_HOME or --home) and the same run
// rules as the app, so what `homegrown train` and `homegrown sample` make shows up on the Train page and
// in the gallery.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import { ApiError } from '#shared/api/common';
import type { Call, Input, Output } from '#shared/api/index';
import type { MethodName } from '#shared/api/names';
import { UserError } from '../core/errors';
import { RunFiles } from '../core/jobs/run-files';
import { readRecipe } from '../core/media/png-meta';
import type { TrainConfig } from '../core/ml/config';
import type { SessionHooks, TrainingSession } from '../core/runs/session';
import { AppService } from '../core/service';
import { RunLibrary } from '../core/service/run-library';
import { Store } from '../core/store';

export const homeOption = () =>
  new Option('--home <dir>', 'app data folder whose library records this (default: $HOMEGROWN_HOME, else the per-OS location)');

export interface Library {
  store: Store;
  runFiles: RunFiles;
  runs: RunLibrary;
  close(): void;
}

export function openLibrary(home?: string): Library {
  const store = Store.open({ home });
  const runFiles = new RunFiles(store.files);
  return { store, runFiles, runs: new RunLibrary(store, runFiles), close: () => store.close() };
}

/** A `homegrown train` run as the library sees it: its row, its folder, what it has written so far. */
export class RecordedTraining {
  private recording: Promise<void> = Promise.resolve();

  private constructor(
    private readonly lib: Library,
    readonly id: number,
  ) {}

  /**
   * A new library run; its folder is made in runs/<id>/, or in `out` (a folder of the user's), which the
   * library then links to. A session that cannot be made leaves no run behind.
   */
  static async create(
    lib: Library,
    opts: { dataset: string; out?: string; config: TrainConfig },
    make: (out: string) => Promise<TrainingSession>,
  ): Promise<{ record: RecordedTraining; session: TrainingSession }> {
    const row = lib.runs.create(opts.config as unknown as TrainConfig & Record<string, unknown>, opts.dataset);
    try {
      const session = await make(opts.out ?? (await lib.runs.parent(row.id)));
      return { record: await new RecordedTraining(lib, row.id).started(session, session.cfg.steps), session };
    } catch (err) {
      await lib.store.runs.delete(row.id);
      throw err;
    }
  }

  /** The run named by its number or its folder (a folder not in the library yet is added first). */
  static async resume(
    lib: Library,
    run: string,
    make: (runDir: string) => Promise<TrainingSession>,
    steps: (session: TrainingSession) => number,
  ): Promise<{ record: RecordedTraining; session: TrainingSession }> {
    const { id, runDir } = await lib.runs.resolve(run);
    const row = lib.store.runs.get(id)!;
    const { pid } = lib.runFiles.read(id);
    if (lib.runFiles.trainedElsewhere(id)) throw new UserError(`run ${id} is being trained by another homegrown train (process ${pid})`);
    if (row.status === 'running' && !pid)
      throw new UserError(
        `run ${id} is training in the app; pause it there (or, if the app was closed while it trained, open it once) before resuming it here`,
      );
    const session = await make(runDir);
    return { record: await new RecordedTraining(lib, id).started(session, session.state.step + steps(session)), session };
  }

  /** Records each sample sheet and checkpoint as the session writes it. */
  hooks(hooks: SessionHooks): SessionHooks {
    const record = () => {
      this.recording = this.recording.then(() => this.lib.runs.record(this.id));
    };
    return { ...hooks, onSampleSheet: record, onCheckpoint: record };
  }

  /** Records the end of training: what is on disk, and whether the run is done or can be resumed. */
  async finish(result: { stopped: boolean } | { error: unknown }): Promise<void> {
    await this.recording.catch(() => undefined);
    await this.lib.runs.record(this.id);
    const error = 'error' in result ? result.error : null;
    await this.lib.runFiles.write(this.id, {
      pid: null,
      message: error === null ? null : error instanceof Error ? error.message : String(error),
    });
    this.lib.store.runs.setStatus(this.id, error !== null ? 'failed' : 'stopped' in result && result.stopped ? 'stopped' : 'completed');
  }

  private async started(session: TrainingSession, targetStep: number): Promise<this> {
    await this.lib.runs.attach(this.id, session.runDir, targetStep);
    await this.lib.runFiles.write(this.id, { pid: process.pid });
    await this.lib.runs.record(this.id);
    this.lib.store.runs.setStatus(this.id, 'running', { backend: session.backend });
    return this;
  }
}

/** The app's service over this library, for one command; closed (jobs paused, store closed) after `use`. */
export async function withService<T>(
  home: string | undefined,
  use: (call: Call, service: AppService) => Promise<T>,
  backend?: string,
): Promise<T> {
  const service = await AppService.open({ home, backend, mode: 'web', recoverRuns: false });
  try {
    return await use(callOf(service), service);
  } finally {
    await service.close();
  }
}

/** Calls a service method; an error meant for the user becomes the command's one-line error. */
function callOf(service: AppService): Call {
  return async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
    try {
      return (await service.call(method, input)) as Output<M>;
    } catch (err) {
      if (err instanceof ApiError && err.code !== 'internal') {
        throw new UserError(err.issues?.length ? `${err.message}: ${err.issues.join('; ')}` : err.message);
      }
      throw err;
    }
  };
}

/** The run folder of a run folder or of one of its checkpoint folders (…/checkpoints/step-N). */
export function runFolderOf(target: string): string {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  return /^step-\d+$/u.test(path.basename(resolved)) && path.basename(parent) === 'checkpoints' ? path.dirname(parent) : resolved;
}

/** The folder a command opens: a run number of the library becomes its folder; a folder stays as given. */
export async function runTarget(home: string | undefined, run: string): Promise<string> {
  if (!/^[1-9][0-9]*$/u.test(run)) return run;
  const lib = openLibrary(home);
  try {
    return (await lib.runs.resolve(run)).runDir;
  } finally {
    lib.close();
  }
}

/**
 * Puts PNGs a command wrote (each carrying its recipe) into the library's gallery, tagged with the
 * command's name, and their prompt into the history; the run joins the library if it is not in it yet.
 */
export async function recordInGallery(home: string | undefined, run: string, files: readonly string[], tag: string): Promise<void> {
  const lib = openLibrary(home);
  try {
    const runId = await galleryRun(lib, run);
    if (runId === undefined) return;
    const checkpoints = lib.store.runs.checkpoints(runId);
    const prompts = new Set<string>();
    for (const file of files) {
      const image = await fs.readFile(file);
      const recipe = readRecipe(image).recipe;
      if (!recipe) continue;
      const { prompt, negative, seed, backend, ...params } = recipe;
      await lib.store.generations.save({
        image,
        prompt,
        negative,
        seed,
        backend,
        runId,
        checkpointId: checkpoints.find((c) => c.manifestHash === recipe.checkpoint)?.id ?? null,
        params,
        tags: [tag],
      });
      const key = JSON.stringify([prompt, negative]);
      if (!prompts.has(key)) lib.store.prompts.record({ prompt, negative, runId });
      prompts.add(key);
    }
  } finally {
    lib.close();
  }
}

/**
 * The library run that images drawn from `run` (a run or checkpoint folder) belong to, the folder
 * joining the library if new; undefined, with a warning, for a folder the library cannot hold (a
 * checkpoint folder copied out of its run): the images are still written, only not to the gallery.
 */
export async function galleryRun(lib: Library, run: string): Promise<number | undefined> {
  try {
    return (await lib.runs.resolve(runFolderOf(run))).id;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    process.stderr.write(`warning: the images do not go into the gallery: ${err.message}\n`);
    return undefined;
  }
}
