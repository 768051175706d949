// Runs as the API shows them: state, progress, losses, log, checkpoints with their sample sheets; and
// start, pause, resume, stop, delete through the RunManager (training runs in its own process).
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Checkpoint, LossPoint, Run, RunDetail, RunQuality, SampleSheet, TrainingPlan } from '#shared/api/runs';
import type { Vocabulary } from '#shared/vocabulary';
import { UserError } from '../errors';
import { readQuality } from '../eval/quality-file';
import { listCheckpoints } from '../runs/checkpoint';
import { PRESETS, type TrainConfig } from '../ml/config';
import { measureStepMs, USEFUL_STEPS } from '../ml/step-time';
import { planTraining, type TrainingPlan as FolderPlan } from '../runs/folder-plan';
import type { Store } from '../store';
import type { Run as StoredRun } from '../store/runs';
import type { Dataset as StoredDataset } from '../store/datasets';
import { apiState, type RunManager } from '../jobs/run-manager';
import { mustExist } from './errors';
import { RunLibrary } from './run-library';
import { userPath } from './user-path';
import type { ParsedInput } from '#shared/api/index';

const MAX_LOSS_POINTS = 2000;
/** The app keeps more checkpoints than the CLI so the timeline has something to choose from. */
const APP_KEEP_CHECKPOINTS = 20;

export class RunService {
  private readonly library: RunLibrary;
  /** Measured milliseconds per step, by the config fields that decide it. */
  private readonly stepTimes = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly manager: RunManager,
    /** Starts this process's compute backend (step times are measured here). */
    private readonly computeBackend: () => Promise<unknown> = async () => {},
  ) {
    this.library = new RunLibrary(store, manager.runFiles);
  }

  list(): Run[] {
    return this.store.runs.list().map((r) => this.view(r));
  }

  get(id: number): Run {
    return this.view(this.row(id));
  }

  async detail(id: number): Promise<RunDetail> {
    const run = this.get(id);
    const runDir = this.runDir(id);
    const sheets = this.store.runs.sampleSheets(id);
    const grid = runDir ? readSheetGrid(runDir) : { prompts: [], seeds: [] };
    const checkpoints: Checkpoint[] = this.store.runs.checkpoints(id).map((c) => ({
      id: c.id,
      step: c.step,
      createdAt: c.createdAt,
      sheetId: sheets.findLast((s) => s.step === c.step)?.id ?? null,
      available: this.store.files.exists(`${c.path}/manifest.json`),
    }));
    const sampleSheets: SampleSheet[] = sheets.map((s) => ({ id: s.id, step: s.step, ...grid }));
    return {
      run,
      losses: runDir ? await readLosses(path.join(runDir, 'log.jsonl')) : [],
      log: await this.manager.runFiles.log(id),
      checkpoints,
      sampleSheets,
    };
  }

  async start(input: ParsedInput<'runs.start'>): Promise<Run> {
    const { dataset, plan } = await this.choose(input);
    const { config } = plan;
    const row = this.store.runs.create({ model: config.model, config, datasetId: dataset.id });
    // With a budget, the target is as many steps as fit at the last measured speed (the job refines it).
    const ms = this.stepTimes.get(stepTimeKey(config));
    const target =
      input.minutes !== undefined && input.steps === undefined && ms
        ? Math.max(1, Math.floor((input.minutes * 60_000) / ms))
        : config.steps;
    await this.manager.start(
      row.id,
      { type: 'start', dataset: dataset.root, out: this.manager.runFiles.parent(row.id), config, minutes: input.minutes },
      target,
    );
    return this.get(row.id);
  }

  /** The config `start` would use, why, and how long it takes on this machine (measured, then remembered). */
  async plan(input: ParsedInput<'runs.plan'>): Promise<TrainingPlan> {
    const { plan } = await this.choose(input);
    const { config } = plan;
    const key = stepTimeKey(config);
    let stepMs = this.stepTimes.get(key);
    if (stepMs === undefined) {
      await this.computeBackend();
      stepMs = await measureStepMs(config);
      this.stepTimes.set(key, stepMs);
    }
    const usefulSteps = USEFUL_STEPS[config.model];
    const budgeted = input.minutes !== undefined && input.steps === undefined;
    const plannedSteps = budgeted ? Math.max(1, Math.floor((input.minutes! * 60_000) / stepMs)) : config.steps;
    return {
      config,
      facts: plan.facts,
      reasons: plan.reasons,
      stepMs,
      usefulSteps,
      usefulMinutes: (usefulSteps * stepMs) / 60_000,
      plannedSteps,
      plannedMinutes: budgeted ? input.minutes! : (plannedSteps * stepMs) / 60_000,
    };
  }

  /** Config = defaults ← the dataset's ← preset ← { model, size, steps } ← config (folder-plan.ts). */
  private async choose(
    input: ParsedInput<'runs.plan'>,
  ): Promise<{ dataset: StoredDataset; plan: Omit<FolderPlan, 'config'> & { config: TrainConfig } }> {
    const dataset = mustExist(this.store.datasets.get(input.datasetId), `dataset ${input.datasetId}`);
    if (input.preset !== undefined && !PRESETS[input.preset]) {
      throw new UserError(`Unknown training preset "${input.preset}": choose one of ${Object.keys(PRESETS).join(', ')}`);
    }
    const asked = Object.fromEntries(
      Object.entries({ model: input.model, size: input.size, steps: input.steps }).filter(([, v]) => v !== undefined),
    );
    const plan = await planTraining(dataset.root, {
      base: { keepCheckpoints: APP_KEEP_CHECKPOINTS },
      preset: input.preset ? PRESETS[input.preset] : undefined,
      asked: { ...asked, ...input.config },
      minutes: input.minutes,
    });
    return { dataset, plan };
  }

  /** Continues from the newest good checkpoint on disk. */
  async resume(input: ParsedInput<'runs.resume'>): Promise<Run> {
    const run = this.row(input.id);
    if (this.manager.isLive(run.id)) throw new UserError(`Run ${run.id} is already training`);
    const runDir = this.runDir(run.id);
    const last = runDir ? (await listCheckpoints(runDir)).pop() : undefined;
    if (!runDir || !last) throw new UserError(`Run ${run.id} has no checkpoint to resume from; start a new run instead`);
    const step = Number(path.basename(last).slice(5));
    const steps = input.steps ?? this.manager.runFiles.read(run.id).targetStep - step;
    if (steps <= 0) throw new UserError(`Run ${run.id} has reached its ${step} steps; say how many more steps to train`);
    await this.manager.start(run.id, { type: 'resume', runDir, steps }, step + steps);
    return this.get(run.id);
  }

  async pause(id: number): Promise<Run> {
    this.row(id);
    await this.manager.requestStop(id, 'pause');
    return this.get(id);
  }

  async stop(id: number): Promise<Run> {
    this.row(id);
    await this.manager.requestStop(id, 'stop');
    return this.get(id);
  }

  /** Adds a run folder made elsewhere (the command line, another machine) to the library; it stays where it is. */
  async add(input: ParsedInput<'runs.add'>): Promise<Run> {
    return this.get(await this.library.add(userPath(input.folder)));
  }

  async delete(id: number): Promise<{ ok: true }> {
    this.row(id);
    if (this.manager.isLive(id) || this.manager.runFiles.trainedElsewhere(id))
      throw new UserError(`Run ${id} is training; pause or stop it before deleting it`);
    await this.store.runs.delete(id);
    return { ok: true };
  }

  /** The quality curve `homegrown eval <run>` keeps in the run folder; empty until measured. */
  async quality(id: number): Promise<RunQuality> {
    this.row(id);
    const runDir = this.runDir(id);
    return runDir ? readQuality(runDir) : { reference: null, points: [], best: null };
  }

  /** The trainer's run folder (absolute), once the job has created it. */
  runDir(id: number): string | null {
    const { runDir } = this.manager.runFiles.read(id);
    return runDir ? this.manager.runFiles.absolute(runDir) : null;
  }

  /** The vocabulary the run's model learned. */
  vocabulary(id: number): Vocabulary {
    this.row(id);
    const runDir = this.runDir(id);
    const text = runDir ? readText(path.join(runDir, 'vocab.json')) : null;
    if (text === null) throw new UserError(`Run ${id} has not started training yet, so it has no vocabulary`);
    return JSON.parse(text) as Vocabulary;
  }

  row(id: number): StoredRun {
    return mustExist(this.store.runs.get(id), `run ${id}`);
  }

  private view(r: StoredRun): Run {
    const state = apiState(r.status);
    const job = this.manager.runFiles.read(r.id);
    const checkpoints = this.store.runs.checkpoints(r.id);
    const live = this.manager.progress(r.id);
    const dataset = r.datasetId === null ? undefined : this.store.datasets.get(r.datasetId);
    const runDir = job.runDir ? this.manager.runFiles.absolute(job.runDir) : null;
    const config = r.config as { size?: number; steps?: number };
    return {
      id: r.id,
      datasetId: r.datasetId,
      datasetName: dataset?.name ?? (runDir && datasetFolderName(runDir)) ?? 'removed dataset',
      model: r.model as Run['model'],
      size: (config.size ?? 32) as Run['size'],
      config: r.config,
      state,
      message: job.message,
      // A resumed job reports step 0 until its first step; it continues from its checkpoint.
      step: Math.max(live?.step ?? 0, checkpoints.at(-1)?.step ?? 0),
      targetStep: live?.targetStep ?? (job.targetStep || (config.steps ?? 0)),
      resumable: !live && state !== 'running' && state !== 'pending' && checkpoints.length > 0,
      backend: r.backend,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    };
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The name of the folder a run was trained on, from its run.json (a run trained on the command line). */
function datasetFolderName(runDir: string): string | null {
  const text = readText(path.join(runDir, 'run.json'));
  try {
    const dataset = text && (JSON.parse(text) as { dataset?: unknown }).dataset;
    return typeof dataset === 'string' ? path.basename(dataset) : null;
  } catch {
    return null;
  }
}

function readSheetGrid(runDir: string): { prompts: string[]; seeds: number[] } {
  const text = readText(path.join(runDir, 'samples', 'prompts.json'));
  return text ? (JSON.parse(text) as { prompts: string[]; seeds: number[] }) : { prompts: [], seeds: [] };
}

/** The training log as loss points, thinned evenly (keeping the last) so long runs stay light. */
async function readLosses(file: string): Promise<LossPoint[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const points: LossPoint[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { step, losses, imagesPerSec } = JSON.parse(line) as LossPoint;
      points.push({ step, losses, imagesPerSec });
    } catch {
      // A line cut short by a crash mid-write.
    }
  }
  if (points.length <= MAX_LOSS_POINTS) return points;
  const every = points.length / MAX_LOSS_POINTS;
  return Array.from({ length: MAX_LOSS_POINTS }, (_, i) => points[Math.min(points.length - 1, Math.round((i + 1) * every) - 1)]!);
}

function stepTimeKey(c: TrainConfig): string {
  return JSON.stringify([c.model, c.size, c.channels, c.batch, c.alpha, c.zDim, c.embDim, c.styleDim, c.upsample]);
}
