// The Train page: runs, the selected run's detail, and live progress from run.* events. Loss points
// from events are appended to the detail, so the chart grows without re-fetching the whole log.
import type { ApiEvent } from '#shared/api/events';
import type { Input, ModelKind } from '#shared/api/index';
import type { RunDetailT, RunT } from '../api/types';
import type { Api } from '../api/client';

type Run = RunT;
export type StartOptions = Input<'runs.start'>;

export interface Live {
  step: number;
  targetStep: number;
  losses: Record<string, number>;
  imagesPerSec: number;
  etaSeconds: number | null;
}

/** The New run form, kept here so that it survives a visit to another page. */
export interface TrainForm {
  datasetId: number | null;
  model: ModelKind;
  size: 32 | 64 | 128;
  preset: string;
  steps: number;
  /** Advanced fields as typed (empty = the default). */
  advanced: Record<string, string>;
}

/** What a run's state pill says: a run stopped before its steps is "stopped", not "done". */
export function stateLabel(run: Pick<Run, 'state' | 'step' | 'targetStep'>): string {
  return run.state === 'done' && run.step < run.targetStep ? 'stopped' : run.state;
}

export class TrainingState {
  form = $state<TrainForm>({ datasetId: null, model: 'gan', size: 32, preset: '', steps: 2000, advanced: {} });
  /** The run whose Stop button was pressed once and waits for a confirmation. */
  confirmingStop = $state<number | null>(null);
  runs = $state<Run[]>([]);
  selectedId = $state<number | null>(null);
  detail = $state<RunDetailT | null>(null);
  live = $state<Live | null>(null);
  latestSheetId = $state<number | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  constructor(private readonly api: Api) {
    api.on((e) => this.handle(e));
  }

  get selected(): Run | null {
    return this.runs.find((r) => r.id === this.selectedId) ?? null;
  }

  /** Runs that stopped without being asked to and can continue. */
  get interrupted(): Run[] {
    return this.runs.filter((r) => r.resumable && (r.state === 'interrupted' || r.state === 'failed'));
  }

  async refresh(): Promise<void> {
    this.runs = await this.api.call('runs.list', {});
    if (this.selectedId === null && this.runs.length) this.selectedId = this.runs[0]!.id;
    if (this.selectedId !== null) await this.select(this.selectedId);
  }

  async select(id: number): Promise<void> {
    this.selectedId = id;
    const detail = await this.api.call('runs.get', { id });
    if (this.selectedId !== id) return;
    this.detail = detail;
    const last = detail.losses[detail.losses.length - 1];
    this.live = last
      ? { step: detail.run.step, targetStep: detail.run.targetStep, losses: last.losses, imagesPerSec: last.imagesPerSec, etaSeconds: null }
      : null;
    this.latestSheetId = detail.checkpoints.findLast((c) => c.sheetId !== null)?.sheetId ?? null;
  }

  async start(options: StartOptions): Promise<void> {
    await this.act(async () => {
      const run = await this.api.call('runs.start', options);
      this.runs = [run, ...this.runs.filter((r) => r.id !== run.id)];
      this.live = null;
      this.latestSheetId = null;
      await this.select(run.id);
    });
  }

  pause = (id: number) => this.act(async () => this.replace(await this.api.call('runs.pause', { id })));
  resume = (id: number) => this.act(async () => this.replace(await this.api.call('runs.resume', { id })));
  /** Stop ends the run for good (it can still be resumed to train more), so it is asked twice. */
  askStop = (id: number) => (this.confirmingStop = id);
  cancelStop = () => (this.confirmingStop = null);
  stop = (id: number) => {
    this.confirmingStop = null;
    return this.act(async () => this.replace(await this.api.call('runs.stop', { id })));
  };

  private async act(f: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await f();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private replace(run: Run): void {
    this.runs = this.runs.map((r) => (r.id === run.id ? run : r));
    if (this.detail?.run.id === run.id) this.detail.run = run;
  }

  handle(e: ApiEvent): void {
    if (!('runId' in e) || e.runId === null) return;
    const run = this.runs.find((r) => r.id === e.runId);
    const mine = e.runId === this.selectedId;
    switch (e.type) {
      case 'run.progress':
        if (run) run.step = e.step;
        if (!mine) return;
        this.live = { step: e.step, targetStep: e.targetStep, losses: e.losses, imagesPerSec: e.imagesPerSec, etaSeconds: e.etaSeconds };
        this.detail?.losses.push({ step: e.step, losses: e.losses, imagesPerSec: e.imagesPerSec });
        return;
      case 'run.sampleSheet':
        if (mine) this.latestSheetId = e.sheetId;
        return;
      case 'run.checkpoint':
        if (mine && this.detail && !this.detail.checkpoints.some((c) => c.id === e.checkpointId))
          this.detail.checkpoints.push({ id: e.checkpointId, step: e.step, createdAt: Date.now(), sheetId: e.sheetId, available: true });
        if (mine && e.sheetId !== null) this.latestSheetId = e.sheetId;
        return;
      case 'run.state':
        if (run) {
          run.state = e.state;
          run.message = e.message;
        }
        // Resumability and final step come from the server.
        void this.refresh().catch(() => undefined);
        return;
      case 'job.error':
        if (mine) this.error = e.error.message;
        return;
    }
  }
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
