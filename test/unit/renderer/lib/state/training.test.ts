import { describe, expect, it } from 'vitest';
import { TrainingState, formatEta, stateLabel } from '../../../../../renderer/lib/state/training.svelte';
import { fakeApi, run } from '#test/unit/renderer/fake-api';

const detail = (over: Record<string, unknown> = {}) => ({ run: run(over), losses: [], log: [], checkpoints: [], sampleSheets: [] });

describe('TrainingState', () => {
  it('starts a run, selects it, and follows its progress, checkpoints and sample sheets from events', async () => {
    let sheets: unknown[] = [];
    const f = fakeApi({ 'runs.start': () => run(), 'runs.get': () => ({ ...detail(), sampleSheets: sheets }) });
    const t = new TrainingState(f.api);
    await t.start({ datasetId: 1, model: 'gan', size: 32, steps: 20 });
    expect(f.calls.map((c) => c.method)).toEqual(['runs.start', 'runs.get']);
    expect(t.selectedId).toBe(1);

    f.emit({ type: 'run.progress', runId: 1, step: 5, targetStep: 20, losses: { d: 1.5, g: 0.7 }, imagesPerSec: 12.5, etaSeconds: 9 });
    f.emit({ type: 'run.progress', runId: 2, step: 99, targetStep: 100, losses: { d: 0 }, imagesPerSec: 1, etaSeconds: 1 });
    expect(t.live).toEqual({ step: 5, targetStep: 20, losses: { d: 1.5, g: 0.7 }, imagesPerSec: 12.5, etaSeconds: 9 });
    expect(t.detail!.losses).toEqual([{ step: 5, losses: { d: 1.5, g: 0.7 }, imagesPerSec: 12.5 }]);
    expect(t.runs[0]!.step).toBe(5);

    f.emit({ type: 'run.checkpoint', runId: 1, step: 10, checkpointId: 3, sheetId: 8 });
    f.emit({ type: 'run.checkpoint', runId: 1, step: 10, checkpointId: 3, sheetId: 8 });
    expect(t.detail!.checkpoints.map((c) => [c.id, c.step, c.sheetId])).toEqual([[3, 10, 8]]);
    expect(t.latestSheetId).toBe(8);
    // Every sheet joins the timeline, with or without a checkpoint at its step; the first one's labels
    // (prompts and seeds) come from the server.
    sheets = [{ id: 9, step: 12, prompts: ['red'], seeds: [0, 1] }];
    f.emit({ type: 'run.sampleSheet', runId: 1, step: 12, sheetId: 9 });
    f.emit({ type: 'run.sampleSheet', runId: 1, step: 12, sheetId: 9 });
    expect(t.latestSheetId).toBe(9);
    expect(t.detail!.sampleSheets).toEqual([{ id: 9, step: 12, prompts: [], seeds: [] }]);
    await expect.poll(() => t.detail!.sampleSheets).toEqual(sheets);
    f.emit({ type: 'run.sampleSheet', runId: 1, step: 14, sheetId: 10 });
    expect(t.detail!.sampleSheets.at(-1)).toEqual({ id: 10, step: 14, prompts: ['red'], seeds: [0, 1] });
  });

  it('shows an error the user can read and lists interrupted runs for resume', async () => {
    const f = fakeApi({
      'runs.start': () => Promise.reject(new Error('The dataset has no images')),
      'runs.list': () => [
        run({ id: 2, state: 'interrupted', resumable: true, message: 'The server stopped' }),
        run({ id: 1, state: 'done' }),
      ],
      'runs.get': (i) => detail({ id: i.id }),
      'runs.resume': (i) => run({ id: i.id, state: 'running' }),
    });
    const t = new TrainingState(f.api);
    await t.start({ datasetId: 1, model: 'gan', size: 32 });
    expect(t.error).toBe('The dataset has no images');
    await t.refresh();
    expect(t.interrupted.map((r) => r.id)).toEqual([2]);
    await t.resume(2);
    expect(t.error).toBeNull();
    expect(t.runs.find((r) => r.id === 2)!.state).toBe('running');
    expect(t.interrupted).toEqual([]);
  });

  it('asks before stopping, and calls a run stopped short "stopped", not "done"', async () => {
    const f = fakeApi({ 'runs.stop': (i) => run({ id: i.id, state: 'done', step: 12, targetStep: 20 }) });
    const t = new TrainingState(f.api);
    t.runs = [run() as never];
    t.askStop(1);
    expect([t.confirmingStop, f.calls.length]).toEqual([1, 0]);
    t.cancelStop();
    expect(t.confirmingStop).toBeNull();
    t.askStop(1);
    await t.stop(1);
    expect([t.confirmingStop, f.calls.map((c) => c.method)]).toEqual([null, ['runs.stop']]);
    expect(stateLabel(t.runs[0]!)).toBe('stopped');
    expect(stateLabel(run({ state: 'done', step: 20, targetStep: 20 }) as never)).toBe('done');
    expect(stateLabel(run({ state: 'running', step: 3 }) as never)).toBe('running');
  });

  it('keeps the New run form between visits (one state object for the app)', () => {
    const t = new TrainingState(fakeApi({}).api);
    Object.assign(t.form, { model: 'vae', steps: 50, advanced: { channels: '8' } });
    expect(t.form).toMatchObject({ model: 'vae', steps: 50, size: null, advanced: { channels: '8' } });
  });

  it('formats the ETA', () => {
    expect([formatEta(null), formatEta(42), formatEta(125), formatEta(7300)]).toEqual(['–', '42 s', '2 min 5 s', '2 h 1 min']);
  });
});
