// The Train page: runs, the selected run's detail, and live progress from run.* events. Loss points
// from events are appended to the detail, so the chart grows without re-fetching the whole log.
import type { ApiEvent } from '#shared/api/events';
import type { Input, ModelKind, Output } from '#shared/api/index';
import type { RunDetailT, RunT } from '../api/types';
import { RunFolderState } from './run-folder.svelte';
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

/**
 * The New run form, kept here so that it survives a visit to another page. Empty fields ('' or null)
 * follow the preset, then the dataset.
 */
export interface TrainForm {
  datasetId: number | null;
  model: '' | ModelKind;
  size: number | null;
  preset: string;
  steps: number | null;
  /** A time budget: as many steps as fit, then a checkpoint. */
  minutes: number | null;
  /** Advanced fields as typed (empty = the default). */
  advanced: Record<string, string>;
}

export type Plan = Output<'runs.plan'>;

/** The start request of a form: only the fields the user filled in. */
export function startOptions(f: TrainForm, config: Record<string, unknown>): StartOptions | null {
  if (f.datasetId === null) return null;
  const filled = (n: number | null | undefined) => typeof n === 'number' && Number.isFinite(n);
  return {
    datasetId: f.datasetId,
    ...(f.model ? { model: f.model } : {}),
    ...(filled(f.size) ? { size: f.size! } : {}),
    ...(f.preset ? { preset: f.preset } : {}),
    ...(filled(f.steps) ? { steps: f.steps! } : {}),
    ...(filled(f.minutes) ? { minutes: f.minutes! } : {}),
    ...(Object.keys(config).length ? { config } : {}),
  };
}

/** What a run's state pill says: a run stopped before its steps is "stopped", not "done". */
export function stateLabel(run: Pick<Run, 'state' | 'step' | 'targetStep'>): string {
  return run.state === 'done' && run.step < run.targetStep ? 'stopped' : run.state;
}

export class TrainingState {
  form = $state<TrainForm>({ datasetId: null, model: '', size: null, preset: '', steps: null, minutes: null, advanced: {} });
  /** What the form would train and how long it takes here; `planError` says why there is none. */
  plan = $state<Plan | null>(null);
  planError = $state<string | null>(null);
  private planRequest = '';
  /** The run whose Stop button was pressed once and waits for a confirmation. */
  confirmingStop = $state<number | null>(null);
  runs = $state<Run[]>([]);
  selectedId = $state<number | null>(null);
  detail = $state<RunDetailT | null>(null);
  live = $state<Live | null>(null);
  latestSheetId = $state<number | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  /** "Add run folder…": a run folder made elsewhere, selected once it is in the library. */
  readonly addFolder: RunFolderState;

  constructor(private readonly api: Api) {
    api.on((e) => this.handle(e));
    this.addFolder = new RunFolderState(api, async (run) => {
      await this.refresh();
      await this.select(run.id);
    });
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

  /** The run's sheets as the server lists them (with their prompts and seeds), keeping what is shown meanwhile. */
  private async labelSheets(id: number): Promise<void> {
    const { sampleSheets } = await this.api.call('runs.get', { id }).catch(() => ({ sampleSheets: [] }));
    if (this.detail?.run.id === id && sampleSheets.length) this.detail.sampleSheets = sampleSheets;
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

  /** Asks for the plan of these options; an answer to an older request is dropped. */
  async updatePlan(options: StartOptions | null): Promise<void> {
    const key = JSON.stringify(options);
    if (key === this.planRequest) return;
    this.planRequest = key;
    if (!options) {
      this.plan = null;
      return;
    }
    try {
      const plan = await this.api.call('runs.plan', options);
      if (this.planRequest === key) [this.plan, this.planError] = [plan, null];
    } catch (e) {
      if (this.planRequest === key) [this.plan, this.planError] = [null, (e as Error).message];
    }
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
        if (!mine) return;
        this.latestSheetId = e.sheetId;
        // A run's sheets share their prompts and seeds; the first sheet's come from the server.
        if (this.detail && !this.detail.sampleSheets.some((x) => x.id === e.sheetId)) {
          const like = this.detail.sampleSheets[0];
          this.detail.sampleSheets.push({ id: e.sheetId, step: e.step, prompts: like?.prompts ?? [], seeds: like?.seeds ?? [] });
          if (!like) void this.labelSheets(e.runId);
        }
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
