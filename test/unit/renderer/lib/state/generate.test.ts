import { describe, expect, it } from 'vitest';
import { GenerateState } from '../../../../../renderer/lib/state/generate.svelte';
import { fakeApi, generation } from '../../fake-api';

const started = { jobId: 'job-1', total: 2, prompts: ['red'], unknownWords: ['shiny'], grid: null };

describe('GenerateState', () => {
  it('sends the form as the contract expects for each seed mode and grid mode', () => {
    const g = new GenerateState(fakeApi({}).api);
    expect(() => g.input()).toThrow(/Choose a trained run/);
    g.runId = 1;
    g.prompt = 'red, (circle:1.2)';
    expect(g.input()).toEqual({ runId: 1, prompt: 'red, (circle:1.2)', negative: '', seedMode: 'random', count: 4, presetIds: [], mode: 'single', combinatorial: false });
    g.seedMode = 'increment';
    g.seed = 41;
    g.mode = 'grid';
    g.xKind = 'seed';
    g.xValues = '1-3';
    g.yValues = '';
    expect(g.input()).toMatchObject({ seedMode: 'increment', seed: 41, mode: 'grid', x: { kind: 'seed', values: '1-3' }, y: undefined });
  });

  it('collects the images of its own job as they arrive and finishes on generation.done', async () => {
    const f = fakeApi({ 'generate.start': () => started });
    const g = new GenerateState(f.api);
    g.runId = 1;
    await g.start();
    expect(g.running).toBe(true);
    expect(g.unknownWords).toEqual(['shiny']);
    f.emit({ type: 'generation.image', jobId: 'other', index: 0, total: 1, generation: generation(9), cell: null });
    f.emit({ type: 'generation.image', jobId: 'job-1', index: 0, total: 2, generation: generation(1), cell: null });
    f.emit({ type: 'generation.image', jobId: 'job-1', index: 1, total: 2, generation: generation(2), cell: null });
    f.emit({ type: 'generation.done', jobId: 'job-1', count: 2 });
    expect(g.results.map((r) => r.generation.id)).toEqual([1, 2]);
    expect(g.running).toBe(false);
  });

  it('shows a failed job and lets the next one start', async () => {
    const f = fakeApi({ 'generate.start': () => started });
    const g = new GenerateState(f.api);
    g.runId = 1;
    await g.start();
    f.emit({ type: 'job.error', jobId: 'job-1', runId: null, error: { code: 'user', message: 'The checkpoint is damaged' } });
    expect(g.error).toBe('The checkpoint is damaged');
    expect(g.running).toBe(false);
  });

  it('"use this recipe" restores prompt, negative, seed and checkpoint', () => {
    const g = new GenerateState(fakeApi({}).api);
    g.useRecipe(generation(5, { prompt: 'blue', negative: 'blurry', seed: 1234, runId: 2, checkpointId: 7 }) as never);
    expect([g.prompt, g.negative, g.seedMode, g.seed, g.runId, g.checkpointId, g.count]).toEqual(['blue', 'blurry', 'fixed', 1234, 2, 7, 1]);
  });
});
