// One library of runs for the app and the command line. A run trained by either has a row and a
// runs/<id>/ folder in the app data folder; a run folder kept elsewhere (trained with `--out`, or added
// with "Add run folder…") is reached through a link runs/<id>/run, so every stored path stays relative
// to the app data folder and the folder itself stays where the user keeps it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { isWithin } from '../files/paths';
import type { RunFiles } from '../jobs/run-files';
import { recordFromDisk } from '../jobs/record-run';
import { listCheckpoints } from '../runs/checkpoint';
import type { RunFile } from '../runs/session';
import type { Store } from '../store';
import type { JsonObject, Run as StoredRun } from '../store/runs';

/** Name of the link, inside runs/<id>/, to a run folder kept outside the app data folder. */
export const RUN_LINK = 'run';

/**
 * The folder a stored checkpoint is read from, with the link to a run folder kept elsewhere followed,
 * so that what is drawn from it names the run folder (its recipe's `run`), not the link.
 */
export function checkpointFolder(store: Store, checkpointPath: string): Promise<string> {
  const dir = store.files.resolve(checkpointPath);
  return fs.realpath(dir).catch(() => dir);
}

export class RunLibrary {
  constructor(
    private readonly store: Store,
    private readonly runFiles: RunFiles,
  ) {}

  /** A new run whose trainer will make its folder inside `runs/<id>/` (see `parent`). */
  create(config: JsonObject & { model: string }, datasetRoot: string): StoredRun {
    const root = path.resolve(datasetRoot);
    const dataset = this.store.datasets.list().find((d) => path.resolve(d.root) === root);
    return this.store.runs.create({ model: config.model, config, datasetId: dataset?.id });
  }

  /** Absolute folder in which a library run's trainer creates its run folder. */
  async parent(runId: number): Promise<string> {
    const dir = this.runFiles.parent(runId);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /** Tells the store where the run's folder is: inside the app data folder as it is, elsewhere through a link. */
  async attach(runId: number, runDir: string, targetStep: number): Promise<void> {
    const absolute = path.resolve(runDir);
    let relative: string;
    if (isWithin(this.store.files.root, absolute)) {
      relative = this.runFiles.relative(absolute);
    } else {
      relative = `runs/${runId}/${RUN_LINK}`;
      const link = this.runFiles.absolute(relative);
      await fs.mkdir(path.dirname(link), { recursive: true });
      await fs.rm(link, { force: true });
      // A junction on Windows needs no special rights; elsewhere the type is ignored.
      await fs.symlink(absolute, link, 'junction');
    }
    await this.runFiles.write(runId, { runDir: relative, targetStep, message: null });
  }

  /** Records the checkpoints and sample sheets in the run's folder that the store does not have yet. */
  record(runId: number): Promise<void> {
    return recordFromDisk(this.store, this.runFiles, runId);
  }

  /** The library run whose folder is `folder`, if any. */
  async find(folder: string): Promise<number | undefined> {
    const wanted = await realpath(folder);
    for (const run of this.store.runs.list()) {
      const { runDir } = this.runFiles.read(run.id);
      if (runDir && (await realpath(this.runFiles.absolute(runDir))) === wanted) return run.id;
    }
    return undefined;
  }

  /** Adds a run folder made elsewhere (another machine, an older version, `homegrown train --out`). */
  async add(folder: string): Promise<number> {
    const absolute = path.resolve(folder);
    const run = await readRunFile(absolute);
    const known = await this.find(absolute);
    if (known !== undefined) throw new UserError(`This run folder is already in the library as run ${known}`);
    const config = run.config as unknown as JsonObject & { model: string; steps?: number };
    const row = this.create(config, run.dataset);
    await this.attach(row.id, absolute, config.steps ?? 0);
    await this.record(row.id);
    const last = (await listCheckpoints(absolute)).at(-1);
    const step = last ? Number(path.basename(last).slice(5)) : 0;
    this.store.runs.setStatus(row.id, step >= (config.steps ?? 0) ? 'completed' : 'stopped');
    return row.id;
  }

  /** A run by its number, or by its folder (added to the library if it is not in it yet). */
  async resolve(run: string): Promise<{ id: number; runDir: string }> {
    const id = /^[1-9][0-9]*$/u.test(run) ? Number(run) : ((await this.find(run)) ?? (await this.add(run)));
    if (!this.store.runs.get(id)) throw new UserError(`There is no run ${id} in the library (${this.store.files.root})`);
    const { runDir } = this.runFiles.read(id);
    if (!runDir) throw new UserError(`Run ${id} has no run folder yet`);
    const absolute = this.runFiles.absolute(runDir);
    // A folder kept elsewhere is named as the user knows it, not by its link.
    return { id, runDir: await fs.readlink(absolute).catch(() => absolute) };
  }
}

async function readRunFile(folder: string): Promise<RunFile> {
  const text = await fs.readFile(path.join(folder, 'run.json'), 'utf8').catch(() => null);
  const run = text === null ? null : (parseJson(text) as Partial<RunFile> | null);
  if (!run || typeof run.dataset !== 'string' || typeof run.config?.model !== 'string') {
    throw new UserError(
      `${folder} is not a Homegrown run folder: choose the folder that training made (it holds run.json, checkpoints and samples)`,
    );
  }
  return run as RunFile;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function realpath(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}
