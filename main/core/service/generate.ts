// Generation: a request becomes a list of images to draw (presets applied, wildcards or an X/Y grid
// expanded, seeds chosen), checked up front; the images are then drawn one at a time by the generation
// process (jobs/generation-worker.ts), so this process keeps answering, each saved to the gallery and
// announced as an event.
import { randomInt } from 'node:crypto';
import type { GenerateInput, GeneratePlan, GenerateStarted } from '#shared/api/generate';
import { applyPresets, type Preset as PromptPreset } from '#shared/prompt/presets';
import { expandCombinatorial, pickWildcards, DEFAULT_EXPANSION_LIMIT } from '#shared/prompt/wildcards';
import { expandGrid, parseAxis, type GridAxis } from '#shared/prompt/xy-grid';
import { MAX_SEED } from '#shared/rng';
import { UserError } from '../errors';
import { GenerationProcess } from '../jobs/generation-process';
import { forkSpawner, type JobSpawner } from '../jobs/spawner';
import type { Sample } from '../runs/sampler';
import type { Generation, Store } from '../store';
import type { Checkpoint, JsonObject } from '../store/runs';
import type { EventHub } from './events';
import { checkpointsByStep } from './checkpoint-axis';
import { toApi } from './gallery';
import { mustExist } from './errors';
import { checkpointFolder } from './run-library';

type Request = GenerateInput;

interface Item {
  prompt: string;
  negative: string;
  seed: number;
  checkpointId: number;
  cell: { x: number; y: number } | null;
  labels: { x: string; y: string } | null;
}

export class GenerateService {
  private jobCount = 0;
  /** Generation jobs run one after another. */
  private queue: Promise<void> = Promise.resolve();
  private readonly worker: GenerationProcess;

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly backend: () => Promise<string>,
    spawn: JobSpawner = forkSpawner,
  ) {
    this.worker = new GenerationProcess(spawn);
  }

  async start(input: Request): Promise<GenerateStarted> {
    const { run, items, checkpointOf, presets, grid } = this.planned(input);
    // Load the first checkpoint now, so a damaged one is this call's error rather than an event.
    await this.open(checkpointOf(items[0]!.checkpointId));
    const unknown = await this.worker.unknownWords(items.slice(0, 100).map((it) => ({ prompt: it.prompt, negative: it.negative })));
    this.store.prompts.record({ prompt: input.prompt, negative: input.negative, runId: run.id });
    const jobId = `gen-${++this.jobCount}-${Date.now().toString(36)}`;
    const context = {
      runId: run.id,
      jobId,
      tags: input.tags,
      template: input.prompt,
      presets: presets.map((p) => p.name),
      checkpointOf,
      tile: input.tile,
    };
    this.queue = this.queue.then(() => this.draw(items, context));
    return { jobId, ...preview(items, grid), unknownWords: unknown };
  }

  /** What `start` would draw (the image count, prompts and grid labels), drawing nothing. */
  plan(input: Request): GeneratePlan {
    const { items, grid } = this.planned(input);
    return preview(items, grid);
  }

  private planned(input: Request) {
    const run = mustExist(this.store.runs.get(input.runId), `run ${input.runId}`);
    if (run.model === 'flow')
      throw new UserError(`Run ${run.id} is a flow run: it moves frames (the Animate page) rather than drawing from prompts`);
    const checkpoints = this.store.runs.checkpoints(run.id).filter((c) => this.store.files.exists(`${c.path}/manifest.json`));
    const checkpointOf = (id: number) => {
      const c = checkpoints.find((k) => k.id === id);
      if (!c) throw new UserError(`Checkpoint ${id} is not an available checkpoint of run ${run.id}`);
      return c;
    };
    const base = input.checkpointId !== undefined ? checkpointOf(input.checkpointId) : checkpoints.at(-1);
    if (!base) throw new UserError(`Run ${run.id} has no checkpoint yet; train it for a while first`);
    const presets = input.presetIds.map((id): PromptPreset => {
      const p = mustExist(this.store.presets.get(id), `preset ${id}`);
      return { name: p.name, prompt: p.positive, negativePrompt: p.negative };
    });
    const grid = input.mode === 'grid' ? { xLabels: [] as string[], yLabels: [] as string[] } : null;
    const items = plan(input, base, checkpoints, grid).map((it) => {
      const pair = applyPresets({ prompt: it.prompt, negativePrompt: it.negative }, presets);
      return { ...it, prompt: pair.prompt, negative: pair.negativePrompt };
    });
    return { run, items, checkpointOf, presets, grid };
  }

  /** Resolves when every queued generation has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Ends the generation process. */
  dispose(): void {
    this.worker.dispose();
  }

  private async draw(
    items: Item[],
    ctx: {
      runId: number;
      jobId: string;
      tags: string[];
      template: string;
      presets: string[];
      checkpointOf: (id: number) => Checkpoint;
      tile?: Request['tile'];
    },
  ): Promise<void> {
    let index = 0;
    try {
      for (const item of items) {
        await this.open(ctx.checkpointOf(item.checkpointId));
        const { png, recipe } = await this.worker.draw({ prompt: item.prompt, negative: item.negative, seed: item.seed, tile: ctx.tile });
        const generation = await saveGeneration(
          this.store,
          { recipe },
          {
            runId: ctx.runId,
            checkpointId: item.checkpointId,
            image: png,
            params: {
              template: ctx.template,
              presets: ctx.presets,
              ...(item.labels ? { grid: { ...item.cell, xLabel: item.labels.x, yLabel: item.labels.y } } : {}),
            },
            tags: ctx.tags,
          },
        );
        this.hub.emit({
          type: 'generation.image',
          jobId: ctx.jobId,
          index: index++,
          total: items.length,
          generation: toApi(generation),
          cell: item.cell,
        });
      }
      this.hub.emit({ type: 'generation.done', jobId: ctx.jobId, count: index });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.hub.emit({
        type: 'job.error',
        jobId: ctx.jobId,
        runId: ctx.runId,
        error: { code: err instanceof UserError ? 'user' : 'internal', message: `Generation stopped after ${index} images: ${message}` },
      });
    }
  }

  /** The generation process keeps one checkpoint loaded; switching checkpoints loads the next one. */
  private async open(checkpoint: Checkpoint): Promise<void> {
    await this.worker.open(await checkpointFolder(this.store, checkpoint.path), await this.backend());
  }
}

/** Saves a drawn image to the gallery with its recipe (the app's Generate and `homegrown sample` alike). */
function saveGeneration(
  store: Store,
  sample: Pick<Sample, 'recipe'>,
  at: { runId: number; checkpointId: number | null; image: Buffer; params?: JsonObject; tags?: string[] },
): Promise<Generation> {
  const { recipe } = sample;
  return store.generations.save({
    image: at.image,
    prompt: recipe.prompt,
    negative: recipe.negative,
    seed: recipe.seed,
    runId: at.runId,
    checkpointId: at.checkpointId,
    backend: recipe.backend,
    params: {
      model: recipe.model,
      size: recipe.size,
      step: recipe.step,
      checkpoint: recipe.checkpoint,
      run: recipe.run,
      appVersion: recipe.appVersion,
      ...at.params,
      ...(recipe.tile ? { tile: recipe.tile } : {}),
    },
    tags: at.tags ?? [],
  });
}

/**
 * Every image the request asks for, in drawing order. The copies of one prompt (`count`) never share a
 * seed: a fixed seed gives seed, seed + 1, … to the copies (the same seed would draw the same image),
 * so it is what every prompt or grid cell starts from. Wildcards are picked per image by its seed in
 * "single" mode too, so no braces reach a recipe.
 */
function plan(input: Request, base: Checkpoint, checkpoints: Checkpoint[], grid: { xLabels: string[]; yLabels: string[] } | null): Item[] {
  if (input.seedMode !== 'random' && input.seed === undefined) throw new UserError(`A ${input.seedMode} seed needs a seed value`);
  const first = input.seed ?? randomInt(MAX_SEED);
  const wrap = (seed: number) => seed % (MAX_SEED + 1);
  const seedAt = (i: number) =>
    input.seedMode === 'random'
      ? i === 0
        ? first
        : randomInt(MAX_SEED)
      : input.seedMode === 'fixed'
        ? wrap(first + (i % input.count))
        : wrap(first + i);
  const one = (prompt: string, seed: number, extra: Partial<Item> = {}): Item => ({
    prompt,
    negative: input.negative,
    seed,
    checkpointId: base.id,
    cell: null,
    labels: null,
    ...extra,
  });
  if (input.mode !== 'grid') {
    if (input.mode === 'wildcard' && input.combinatorial) {
      const prompts = expandCombinatorial(input.prompt);
      checkCount(prompts.length * input.count);
      return prompts.flatMap((p, j) => Array.from({ length: input.count }, (_, i) => one(p, seedAt(j * input.count + i))));
    }
    checkCount(input.count);
    // Each image's own seed picks its variants, so the recipe remakes it exactly.
    return Array.from({ length: input.count }, (_, i) => {
      const seed = seedAt(i);
      return one(pickWildcards(input.prompt, seed), seed);
    });
  }
  if (!input.x) throw new UserError('An X/Y grid needs an X axis');
  const byStep = new Map(checkpoints.map((c) => [String(c.step), c]));
  const axis = (a: NonNullable<Request['x']>): GridAxis =>
    a.kind === 'checkpoint'
      ? { kind: 'checkpoint', values: checkpointsByStep(a.values, checkpoints).map((c) => String(c.step)) }
      : parseAxis(a.kind, a.values);
  const [x, y] = [axis(input.x), input.y ? axis(input.y) : undefined];
  const expanded = expandGrid({ prompt: input.prompt, negativePrompt: input.negative, seed: first, checkpoint: String(base.step) }, x, y);
  // Checkpoints are shown by their step, as the checkpoint list shows them.
  const label = (a: GridAxis | undefined, text: string) => (a?.kind === 'checkpoint' ? `step ${text}` : text);
  grid!.xLabels = expanded.xLabels.map((l) => label(x, l));
  grid!.yLabels = expanded.yLabels.map((l) => label(y, l));
  checkCount(expanded.jobs.length * input.count);
  return expanded.jobs.flatMap((job) =>
    Array.from({ length: input.count }, (_, i) => {
      const seed = input.seedMode === 'random' && i > 0 ? randomInt(MAX_SEED) : wrap(job.seed + i);
      return one(pickWildcards(job.prompt, seed), seed, {
        negative: job.negativePrompt,
        checkpointId: byStep.get(job.checkpoint)!.id,
        cell: { x: job.x, y: job.y },
        labels: { x: label(x, job.xLabel), y: label(y, job.yLabel) },
      });
    }),
  );
}

function preview(items: Item[], grid: GeneratePlan['grid']): GeneratePlan {
  return { total: items.length, prompts: items.slice(0, 100).map((it) => it.prompt), grid };
}

function checkCount(count: number): void {
  if (count > DEFAULT_EXPANSION_LIMIT) throw new UserError(`That would make ${count} images; at most ${DEFAULT_EXPANSION_LIMIT} at a time`);
}
