// Training runs as processes: starts a job per run, records what it reports (run state, sample sheets,
// checkpoints) in the store, and turns its messages into API events. A job that dies without saying
// `done` marks its run failed with a message; the app itself carries on.
import { promises as fs } from 'node:fs';
import type { ApiEvent } from '#shared/api/events';
import { UserError } from '../errors';
import { readableLine } from '../files/crash-log';
import type { Store } from '../store';
import type { RunStatus } from '../store/runs';
import { isJobMessage, type JobMessage, type JobRequest } from './messages';
import { recordFromDisk } from './record-run';
import { RunFiles } from './run-files';
import { type JobProcess, type JobSpawner, TRAINING_WORKER } from './spawner';

export interface RunManagerOptions {
  store: Store;
  emit: (event: ApiEvent) => void;
  spawn: JobSpawner;
  /** Job entry file (default: the training worker). */
  worker?: string;
  /** Force a compute backend in the jobs. */
  backend?: string;
}

/** What a live job has reported so far. */
export interface LiveProgress {
  step: number;
  targetStep: number;
  imagesPerSec: number;
}

interface LiveJob {
  process: JobProcess;
  progress: LiveProgress;
  batch: number;
  requested: 'pause' | 'stop' | null;
  done: { step: number; stopped: boolean } | null;
  error: { message: string; user: boolean } | null;
  stderr: string;
  lastProgressAt: number;
  /** Store writes are serialised per job, in message order. */
  queue: Promise<void>;
  exited: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 250;
const STOP_TIMEOUT_MS = 120_000;
const STDERR_KEEP = 4000;

export class RunManager {
  readonly runFiles: RunFiles;
  private readonly live = new Map<number, LiveJob>();

  constructor(private readonly opts: RunManagerOptions) {
    this.runFiles = new RunFiles(opts.store.files);
  }

  /**
   * Runs the store says are running, with no job of ours, were cut off (app closed, machine off): they
   * become interrupted, with whatever checkpoints and sheets reached the disk recorded.
   */
  async recoverInterrupted(): Promise<void> {
    for (const run of this.opts.store.runs.list()) {
      const cut = (run.status === 'running' || run.status === 'pending') && !this.live.has(run.id);
      if (cut && !this.runFiles.trainedElsewhere(run.id)) {
        await this.recordFromDisk(run.id);
        await this.runFiles.write(run.id, {
          message: 'The app stopped while this run was training; resume it to continue from its last checkpoint.',
        });
        this.opts.store.runs.setStatus(run.id, 'interrupted');
      }
    }
  }

  isLive(runId: number): boolean {
    return this.live.has(runId);
  }

  progress(runId: number): LiveProgress | undefined {
    return this.live.get(runId)?.progress;
  }

  async start(runId: number, request: Extract<JobRequest, { type: 'start' | 'resume' }>, targetStep: number): Promise<void> {
    if (this.live.has(runId) || this.runFiles.trainedElsewhere(runId)) throw new UserError(`Run ${runId} is already training`);
    await fs.mkdir(this.runFiles.parent(runId), { recursive: true });
    await this.runFiles.write(runId, { targetStep, message: null, pid: null });
    const process: JobProcess = this.opts.spawn(this.opts.worker ?? TRAINING_WORKER);
    let exit!: () => void;
    const job: LiveJob = {
      process,
      progress: { step: 0, targetStep, imagesPerSec: 0 },
      batch: 1,
      requested: null,
      done: null,
      error: null,
      stderr: '',
      lastProgressAt: 0,
      queue: Promise.resolve(),
      exited: new Promise((resolve) => (exit = resolve)),
    };
    this.live.set(runId, job);
    process.onMessage((message) => {
      if (isJobMessage(message))
        job.queue = job.queue.then(() => this.handle(runId, job, message)).catch((err) => this.noteError(runId, job, err));
    });
    process.onStderr((text) => {
      job.stderr = (job.stderr + text).slice(-STDERR_KEEP);
    });
    process.onExit((code, signal) => {
      job.queue = job.queue
        .then(() => this.finish(runId, job, code, signal))
        .catch((err) => this.noteError(runId, job, err))
        .finally(() => {
          this.live.delete(runId);
          exit();
        });
    });
    this.opts.store.runs.setStatus(runId, 'running');
    this.emitState(runId, 'running', null);
    process.send({
      ...request,
      backend: request.backend ?? this.opts.backend,
      cacheDir: this.opts.store.files.resolve('cache'),
      logDir: this.opts.store.files.resolve('logs'),
    });
  }

  /** Asks the job to checkpoint and exit; resolves once it has. Pause leaves the run resumable as paused, stop as done. */
  async requestStop(runId: number, kind: 'pause' | 'stop'): Promise<void> {
    const job = this.live.get(runId);
    if (!job) throw new UserError(`Run ${runId} is not training`);
    job.requested = kind;
    job.process.send({ type: 'stop' });
    const timer = setTimeout(() => job.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await job.exited;
    clearTimeout(timer);
  }

  /** Stops every job (each writes a checkpoint), killing any that take too long. */
  async close(timeoutMs = 30_000): Promise<void> {
    const jobs = [...this.live.values()];
    for (const job of jobs) {
      job.requested = 'pause';
      job.process.send({ type: 'stop' });
    }
    const timer = setTimeout(() => jobs.forEach((j) => j.process.kill('SIGKILL')), timeoutMs);
    await Promise.all(jobs.map((j) => j.exited));
    clearTimeout(timer);
  }

  private async handle(runId: number, job: LiveJob, m: JobMessage): Promise<void> {
    const { store, emit } = this.opts;
    switch (m.type) {
      case 'started':
        job.batch = m.batch;
        job.progress = { step: m.step, targetStep: m.targetStep, imagesPerSec: 0 };
        await this.runFiles.write(runId, { runDir: this.runFiles.relative(m.runDir), targetStep: m.targetStep });
        store.runs.setStatus(runId, 'running', { backend: m.backend });
        await this.runFiles.appendLog(runId, `training on ${m.images} images with ${m.backend}, from step ${m.step} to ${m.targetStep}`);
        return;
      case 'log':
        await this.runFiles.appendLog(runId, m.line);
        return;
      case 'fallback':
        // The run's row names the backend that trains it now.
        store.runs.setStatus(runId, 'running', { backend: m.backend });
        await this.runFiles.appendLog(runId, m.line);
        return;
      case 'step': {
        job.progress = { step: m.step, targetStep: m.targetStep, imagesPerSec: m.imagesPerSec };
        const now = Date.now();
        if (now - job.lastProgressAt < PROGRESS_INTERVAL_MS && m.step < m.targetStep) return;
        job.lastProgressAt = now;
        const stepsPerSec = m.imagesPerSec / job.batch;
        const etaSeconds = stepsPerSec > 0 ? (m.targetStep - m.step) / stepsPerSec : null;
        emit({
          type: 'run.progress',
          runId,
          step: m.step,
          targetStep: m.targetStep,
          losses: m.losses,
          imagesPerSec: m.imagesPerSec,
          etaSeconds,
        });
        return;
      }
      case 'sheet': {
        const sheet = store.runs.addSampleSheet({ runId, step: m.step, path: this.runFiles.relative(m.file) });
        emit({ type: 'run.sampleSheet', runId, step: m.step, sheetId: sheet.id });
        return;
      }
      case 'checkpoint': {
        const ckpt = store.runs.addCheckpoint({
          runId,
          step: m.step,
          path: this.runFiles.relative(m.dir),
          manifestHash: m.manifestHash,
          metrics: {},
        });
        const sheet = store.runs.sampleSheets(runId).findLast((s) => s.step === m.step);
        emit({ type: 'run.checkpoint', runId, step: m.step, checkpointId: ckpt.id, sheetId: sheet?.id ?? null });
        return;
      }
      case 'done':
        job.done = { step: m.step, stopped: m.stopped };
        return;
      case 'error':
        job.error = {
          message: m.user ? m.message : `Training failed: ${m.message}${m.log ? ` (full report: ${m.log})` : ''}`,
          user: m.user,
        };
        await this.runFiles.appendLog(runId, `error: ${m.message}`);
        return;
    }
  }

  private async finish(runId: number, job: LiveJob, code: number | null, signal: string | null): Promise<void> {
    await this.recordFromDisk(runId);
    let status: RunStatus;
    let message: string | null = null;
    if (job.done) {
      status = job.done.stopped && job.requested === 'pause' ? 'stopped' : 'completed';
    } else if (job.requested === 'pause' && signal === 'SIGKILL') {
      // It did not stop in time and was killed: resumable from its last checkpoint.
      status = 'interrupted';
      message = 'The training process did not stop in time and was ended; resume continues from its last checkpoint.';
    } else {
      status = 'failed';
      message = job.error?.message ?? describeCrash(code, signal, job.stderr);
    }
    await this.runFiles.write(runId, { message });
    if (message) await this.runFiles.appendLog(runId, `error: ${message}`);
    // No longer live before anyone hears of the new state, so the run reads as resumable at once.
    this.live.delete(runId);
    this.opts.store.runs.setStatus(runId, status);
    this.emitState(runId, status, message);
    if (status === 'failed') {
      this.opts.emit({ type: 'job.error', jobId: null, runId, error: { code: job.error?.user ? 'user' : 'internal', message: message! } });
    }
  }

  private recordFromDisk(runId: number): Promise<void> {
    return recordFromDisk(this.opts.store, this.runFiles, runId);
  }

  private noteError(runId: number, job: LiveJob, err: unknown): void {
    job.error = { message: `Recording the run failed: ${err instanceof Error ? err.message : String(err)}`, user: false };
    this.opts.emit({ type: 'job.error', jobId: null, runId, error: { code: 'internal', message: job.error.message } });
  }

  private emitState(runId: number, status: RunStatus, message: string | null): void {
    this.opts.emit({ type: 'run.state', runId, state: apiState(status), message });
  }
}

/** The store's status as the API names it. */
export function apiState(status: RunStatus) {
  return (
    { pending: 'pending', running: 'running', stopped: 'paused', interrupted: 'interrupted', completed: 'done', failed: 'failed' } as const
  )[status];
}

function describeCrash(code: number | null, signal: string | null, stderr: string): string {
  if (/out of memory|OOM|Cannot allocate memory|WebAssembly\.Memory/iu.test(stderr)) {
    return 'The training process ran out of memory; try a smaller size, batch or channel count. Resume continues from its last checkpoint.';
  }
  const last = stderr.trim() && readableLine(stderr.trim().split('\n').at(-1)!);
  const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
  return `The training process ${how}${last ? `: ${last}` : ''}. Resume continues from its last checkpoint.`;
}
