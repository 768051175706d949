import { describe, expect, it } from 'vitest';
import { GenerateState } from '../../../../../renderer/lib/state/generate.svelte';
import { fakeApi, generation } from '#test/unit/renderer/fake-api';

const started = { jobId: 'job-1', total: 2, prompts: ['red'], unknownWords: ['shiny'], grid: null };

describe('GenerateState', () => {
  it('sends the form as the contract expects for each seed mode and grid mode', () => {
    const g = new GenerateState(fakeApi({}).api);
    expect(() => g.input()).toThrow(/Choose a trained run/);
    g.runId = 1;
    g.prompt = 'red, (circle:1.2)';
    expect(g.input()).toEqual({
      runId: 1,
      prompt: 'red, (circle:1.2)',
      negative: '',
      seedMode: 'random',
      count: 4,
      presetIds: [],
      mode: 'single',
      combinatorial: false,
    });
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

  it("keeps its job's images that arrive before generate.start answers", async () => {
    const f = fakeApi({
      'generate.start': () => {
        f.emit({ type: 'generation.image', jobId: 'job-1', index: 0, total: 2, generation: generation(1), cell: null });
        f.emit({ type: 'generation.image', jobId: 'other', index: 0, total: 1, generation: generation(9), cell: null });
        return started;
      },
    });
    const g = new GenerateState(f.api);
    g.runId = 1;
    await g.start();
    f.emit({ type: 'generation.image', jobId: 'job-1', index: 1, total: 2, generation: generation(2), cell: null });
    expect(g.results.map((r) => r.generation.id)).toEqual([1, 2]);
    expect(g.running).toBe(true);
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
    expect([g.prompt, g.negative, g.seedMode, g.seed, g.runId, g.checkpointId, g.count]).toEqual([
      'blue',
      'blurry',
      'fixed',
      1234,
      2,
      7,
      1,
    ]);
  });

  it('sends the tiling only when chosen', () => {
    const g = new GenerateState(fakeApi({}).api);
    g.runId = 1;
    expect(g.input()).not.toHaveProperty('tile');
    g.tile = 'xy';
    expect(g.input()).toMatchObject({ tile: 'xy' });
  });

  it('restores a recipe from an image file, and says why when it cannot', async () => {
    const recipe = {
      prompt: 'red, circle',
      negative: 'blue',
      seed: 42,
      model: 'gan',
      run: 'shapes-gan32',
      checkpoint: 'abc',
      step: 20,
      size: 32,
      backend: 'wasm',
      appVersion: '0.1.0',
      tile: 'x',
    };
    const answers: unknown[] = [
      { recipe, parameters: 'red, circle', runId: 2, checkpointId: 7 },
      { recipe: { ...recipe, tile: undefined, seed: 3 }, parameters: null, runId: null, checkpointId: null },
      { recipe: null, parameters: 'a cat\nSteps: 20', runId: null, checkpointId: null },
    ];
    const f = fakeApi({ 'recipe.read': () => answers.shift() });
    const g = new GenerateState(f.api);
    const bytes = new Uint8Array([137, 80, 78, 71, 0, 255]);
    await g.restoreFrom(bytes, 'a.png');
    expect(f.calls[0]).toEqual({ method: 'recipe.read', input: { data: 'iVBORwD/', name: 'a.png' } });
    expect([g.prompt, g.negative, g.seedMode, g.seed, g.count, g.runId, g.checkpointId, g.tile]).toEqual([
      'red, circle',
      'blue',
      'fixed',
      42,
      1,
      2,
      7,
      'x',
    ]);
    expect(g.restored).toEqual({ ok: true, text: 'Recipe from a.png: seed 42, gan step 20' });
    // A run this app does not have leaves the chosen run alone and says so.
    await g.restoreFrom(bytes, 'b.png');
    expect([g.seed, g.runId, g.checkpointId, g.tile]).toEqual([3, 2, 7, '']);
    expect(g.restored?.text).toMatch(/run "shapes-gan32" is not in this app, choose a run$/);
    await g.restoreFrom(bytes, 'c.png');
    expect(g.restored).toEqual({ ok: false, text: 'c.png carries no Homegrown recipe (it has A1111 parameters from another tool)' });
    expect(g.seed).toBe(3);
    await g.restoreFrom(new Uint8Array(8 * 1024 * 1024 + 1), 'huge.png');
    expect(g.restored).toEqual({ ok: false, text: "huge.png is larger than 8 MB; Homegrown's images are far smaller" });
    expect(f.calls).toHaveLength(3);
  });

  it('says what a fixed seed does with several images and how braces are used in single mode', () => {
    const g = new GenerateState(fakeApi({}).api);
    g.seedMode = 'fixed';
    g.seed = 100;
    g.count = 1;
    expect(g.seedNote).toBeNull();
    g.count = 4;
    expect(g.seedNote).toBe('The 4 images get seeds 100–103: one seed always draws the same image.');
    g.mode = 'grid';
    expect(g.seedNote).toMatch(/seeds 100–103 for every prompt/);
    g.mode = 'single';
    g.prompt = 'red, circle';
    expect(g.wildcardNote).toBeNull();
    g.prompt = '{red|blue}, circle';
    expect(g.wildcardNote).toMatch(/^Each image picks one option of every \{a\|b\}/);
    g.prompt = '\\{red|blue\\}';
    expect(g.wildcardNote).toBeNull();
    g.prompt = '{red|blue}';
    g.mode = 'wildcard';
    expect(g.wildcardNote).toBeNull();
  });

  it('shows how many images the form makes before generating, or why it cannot', async () => {
    const answers: unknown[] = [
      { total: 96, prompts: [], grid: { xLabels: ['step 500', 'step 1000', 'step 1500', 'step 2000'], yLabels: ['red', 'blue', 'green'] } },
      Promise.reject(Object.assign(new Error('No checkpoint at step 4; this run has checkpoints at steps 3, 6'), { code: 'user' })),
    ];
    const f = fakeApi({ 'generate.plan': () => answers.shift() });
    const g = new GenerateState(f.api);
    await g.replan();
    expect(f.calls).toHaveLength(0);
    g.runId = 1;
    g.count = 8;
    g.mode = 'grid';
    g.xKind = 'checkpoint';
    g.xValues = '500-2000';
    await g.replan();
    expect(f.calls[0]!.input).toMatchObject({ mode: 'grid', count: 8, x: { kind: 'checkpoint', values: '500-2000' } });
    expect(g.totalText).toBe('96 images (a 4×3 grid × 8 each)');
    await g.replan();
    expect([g.plan, g.totalText, g.planError]).toEqual([null, null, 'No checkpoint at step 4; this run has checkpoints at steps 3, 6']);
  });

  it('takes a clicked suggestion into the prompt the word came from', () => {
    const g = new GenerateState(fakeApi({}).api);
    g.prompt = 'dwarf, (dwarf:1.2), axe';
    g.negative = 'dwarf';
    g.takeSuggestion('prompt', 'dwarf', 'dwarves');
    expect([g.prompt, g.negative]).toEqual(['dwarves, (dwarves:1.2), axe', 'dwarf']);
    g.takeSuggestion('negative', 'dwarf', 'dwarves');
    expect(g.negative).toBe('dwarves');
  });
});
