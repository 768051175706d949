// The Generate page: the prompt form, the words the model knows, and results streaming in as
// generation.image events for the job this page started.
import type { ApiEvent } from '#shared/api/events';
import type { Input } from '#shared/api/index';
import { MAX_RECIPE_IMAGE_BYTES } from '#shared/api/recipe';
import type { TileMode } from '#shared/recipe';
import type { Api } from '../api/client';
import { toBase64 } from '../base64';
import type { GenerationT, PromptCheckT } from '../api/types';
import { replaceWord } from '../prompt/replace-word';
import { completeWord } from './prompt-words.svelte';

type SeedMode = 'random' | 'fixed' | 'increment';
type Mode = 'single' | 'wildcard' | 'grid';
type AxisKind = 'prompt' | 'seed' | 'checkpoint' | 'weight';
type Tile = '' | TileMode;

export interface Result {
  generation: GenerationT;
  cell: { x: number; y: number } | null;
}

export class GenerateState {
  runId = $state<number | null>(null);
  checkpointId = $state<number | null>(null);
  prompt = $state('');
  negative = $state('');
  seedMode = $state<SeedMode>('random');
  seed = $state(0);
  count = $state(4);
  presetIds = $state<number[]>([]);
  mode = $state<Mode>('single');
  combinatorial = $state(false);
  xKind = $state<AxisKind>('seed');
  xValues = $state('');
  yKind = $state<AxisKind>('prompt');
  yValues = $state('');
  tile = $state<Tile>('');

  jobId = $state<string | null>(null);
  total = $state(0);
  results = $state<Result[]>([]);
  grid = $state<{ xLabels: string[]; yLabels: string[] } | null>(null);
  unknownWords = $state<string[]>([]);
  check = $state<PromptCheckT | null>(null);
  error = $state<string | null>(null);
  /** What the form would draw (image count, grid labels), or why it cannot; refreshed as it changes. */
  plan = $state<{ total: number; grid: { xLabels: string[]; yLabels: string[] } | null } | null>(null);
  planError = $state<string | null>(null);
  /** What restoring a recipe from an image file did (ok: restored; else why not). */
  restored = $state<{ ok: boolean; text: string } | null>(null);
  /** Job events that arrive while generate.start is in flight, replayed once its job id is known. */
  private early: ApiEvent[] | null = null;

  constructor(private readonly api: Api) {
    api.on((e) => this.handle(e));
  }

  get running(): boolean {
    return this.jobId !== null;
  }

  /** What a fixed seed does with several images, said before generating. */
  get seedNote(): string | null {
    if (this.seedMode !== 'fixed' || this.count < 2) return null;
    const last = this.seed + this.count - 1;
    const each = this.mode === 'single' ? '' : ' for every prompt';
    return `The ${this.count} images get seeds ${this.seed}–${last}${each}: one seed always draws the same image.`;
  }

  /** `{a|b}` typed in single-prompt mode: said how it is used, not silently kept. */
  get wildcardNote(): string | null {
    if (this.mode !== 'single' || !/(?<!\\)\{[^}]*\|/u.test(this.prompt)) return null;
    return 'Each image picks one option of every {a|b} by its seed. For every combination, choose the mode “wildcards” and tick “every combination”.';
  }

  /** "Generate 96 images" with how they add up, e.g. "a 4×3 grid × 8 each". */
  get totalText(): string | null {
    if (!this.plan) return null;
    const { total, grid } = this.plan;
    const images = `${total} image${total === 1 ? '' : 's'}`;
    if (!grid) return images;
    const cells = `${grid.xLabels.length}×${Math.max(1, grid.yLabels.length)} grid`;
    return this.count > 1 ? `${images} (a ${cells} × ${this.count} each)` : `${images} (a ${cells})`;
  }

  /** Asks the app what the form would draw, drawing nothing. */
  async replan(): Promise<void> {
    if (this.runId === null) {
      this.plan = null;
      return;
    }
    try {
      this.plan = await this.api.call('generate.plan', this.input());
      this.planError = null;
    } catch (e) {
      this.plan = null;
      this.planError = (e as Error).message;
    }
  }

  /** Takes a did-you-mean suggestion into the prompt (or negative prompt) the word came from. */
  takeSuggestion(where: 'prompt' | 'negative', word: string, token: string): void {
    this[where] = replaceWord(this[where], word, token);
  }

  input(): Input<'generate.start'> {
    if (this.runId === null) throw new Error('Choose a trained run first.');
    const axis = (kind: AxisKind, values: string) => (values.trim() ? { kind, values: values.trim() } : undefined);
    return {
      runId: this.runId,
      ...(this.checkpointId !== null ? { checkpointId: this.checkpointId } : {}),
      prompt: this.prompt,
      negative: this.negative,
      seedMode: this.seedMode,
      ...(this.seedMode !== 'random' ? { seed: this.seed } : {}),
      count: this.count,
      presetIds: this.presetIds,
      mode: this.mode,
      combinatorial: this.mode === 'wildcard' && this.combinatorial,
      ...(this.mode === 'grid' ? { x: axis(this.xKind, this.xValues), y: axis(this.yKind, this.yValues) } : {}),
      ...(this.tile ? { tile: this.tile } : {}),
    };
  }

  async start(): Promise<void> {
    this.error = null;
    // Events travel apart from the call's reply: a quick job's first images can arrive before its id.
    this.early = [];
    try {
      const started = await this.api.call('generate.start', this.input());
      this.results = [];
      this.jobId = started.jobId;
      this.total = started.total;
      this.grid = started.grid;
      this.unknownWords = started.unknownWords;
      const early = this.early ?? [];
      this.early = null;
      for (const e of early) this.handle(e);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.early = null;
    }
  }

  /** Checks the prompt against the run's vocabulary (unknown words, parse problems). */
  async recheck(): Promise<void> {
    try {
      this.check = await this.api.call('prompts.check', {
        prompt: this.prompt,
        negative: this.negative,
        ...(this.runId !== null ? { runId: this.runId } : {}),
      });
    } catch {
      this.check = null;
    }
  }

  complete(prefix: string): Promise<string[]> {
    return completeWord(this.api, this.runId, prefix);
  }

  /** "Use this recipe": the same prompt, negative, seed and checkpoint, ready to generate again. */
  useRecipe(g: GenerationT): void {
    this.runId = g.runId;
    this.checkpointId = g.checkpointId;
    this.prompt = g.prompt;
    this.negative = g.negative;
    this.seedMode = 'fixed';
    this.seed = g.seed;
    this.count = 1;
    this.mode = 'single';
    this.tile = g.params.tile === 'x' || g.params.tile === 'y' || g.params.tile === 'xy' ? g.params.tile : '';
  }

  /** Restores prompt, negative, seed (and run, checkpoint and tiling when known) from an image Homegrown made. */
  async restoreFrom(bytes: Uint8Array, name: string): Promise<void> {
    const fail = (text: string) => (this.restored = { ok: false, text });
    this.restored = null;
    if (bytes.length > MAX_RECIPE_IMAGE_BYTES) {
      fail(`${name} is larger than 8 MB; Homegrown's images are far smaller`);
      return;
    }
    try {
      const r = await this.api.call('recipe.read', { data: toBase64(bytes), name });
      if (!r.recipe) {
        fail(`${name} carries no Homegrown recipe${r.parameters ? ' (it has A1111 parameters from another tool)' : ''}`);
        return;
      }
      this.prompt = r.recipe.prompt;
      this.negative = r.recipe.negative;
      this.seedMode = 'fixed';
      this.seed = r.recipe.seed;
      this.count = 1;
      this.mode = 'single';
      this.tile = r.recipe.tile ?? '';
      if (r.runId !== null) {
        this.runId = r.runId;
        this.checkpointId = r.checkpointId;
      }
      const where = r.runId === null ? ` — run "${r.recipe.run}" is not in this app, choose a run` : '';
      this.restored = { ok: true, text: `Recipe from ${name}: seed ${r.recipe.seed}, ${r.recipe.model} step ${r.recipe.step}${where}` };
    } catch (e) {
      fail((e as Error).message);
    }
  }

  handle(e: ApiEvent): void {
    if (this.early && (e.type === 'generation.image' || e.type === 'generation.done' || e.type === 'job.error')) {
      this.early.push(e);
      return;
    }
    if (e.type === 'generation.image' && e.jobId === this.jobId) this.results.push({ generation: e.generation, cell: e.cell });
    else if (e.type === 'generation.done' && e.jobId === this.jobId) this.jobId = null;
    else if (e.type === 'job.error' && e.jobId !== null && e.jobId === this.jobId) {
      this.error = e.error.message;
      this.jobId = null;
    }
  }
}
