// The Edit, Walk and Animate pages: each starts one job at a time and waits for its gallery item (an
// image, or a sequence stored as a strip) to arrive as the job's generation.image event.
import type { ApiEvent } from '#shared/api/events';
import type { Input } from '#shared/api/index';
import { MAX_RECIPE_IMAGE_BYTES } from '#shared/api/recipe';
import { SequenceInfo } from '#shared/api/motion';
import type { Api } from '../api/client';
import type { GenerationT } from '../api/types';
import { toBase64 } from '../base64';
import { replaceWord } from '../prompt/replace-word';
import { completeWord, PromptWords } from './prompt-words.svelte';

/** A file the user dropped or chose: sent as base64, shown from an object URL. */
export interface PickedImage {
  data: string;
  name: string;
  url: string;
}

export async function pickImage(file: File): Promise<PickedImage> {
  if (file.size > MAX_RECIPE_IMAGE_BYTES) throw new Error(`${file.name} is larger than 8 MB`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { data: toBase64(bytes), name: file.name, url: URL.createObjectURL(new Blob([bytes], { type: file.type || 'image/png' })) };
}

const image = (p: PickedImage) => ({ data: p.data, name: p.name });

/** How a result is cut into frames, or null for a single image. */
export function sequenceOf(g: GenerationT): SequenceInfo | null {
  const r = SequenceInfo.safeParse(g.params['sequence']);
  return r.success ? r.data : null;
}

/** One job at a time, its result and its error; its prompt boxes checked as typed. */
abstract class JobState {
  runId = $state<number | null>(null);
  /** null: the run's newest checkpoint. */
  checkpointId = $state<number | null>(null);
  jobId = $state<string | null>(null);
  result = $state<GenerationT | null>(null);
  error = $state<string | null>(null);
  /** Frames drawn so far by the running job, as "3/8", or ''. */
  progress = $state('');
  /** A quick job can finish before its start call answers: its events wait here until the id is known. */
  private early: ApiEvent[] = [];

  readonly words: PromptWords;

  constructor(protected readonly api: Api) {
    this.words = new PromptWords(api);
    api.on((e) => this.handle(e));
  }

  /** The page's prompt boxes by field name, as typed. */
  abstract prompts(): Record<string, string>;

  /** Completions from the run's words for the word being typed. */
  complete = (prefix: string): Promise<string[]> => completeWord(this.api, this.runId, prefix);

  /** Takes a did-you-mean suggestion into the prompt box it was shown under (boxes are named by field). */
  take(field: string, word: string, token: string): void {
    const self = this as unknown as Record<string, string>;
    self[field] = replaceWord(self[field]!, word, token);
    this.words.watch(this.runId, this.prompts());
  }

  /** The run, and the checkpoint when one was chosen. */
  protected drawWith(runId: number): { runId: number; checkpointId?: number } {
    return { runId, ...(this.checkpointId !== null ? { checkpointId: this.checkpointId } : {}) };
  }

  get running(): boolean {
    return this.jobId !== null;
  }

  /** Keeps the speed the result (a sequence) plays at, for the gallery and its exports. */
  async keepFps(fps: number): Promise<void> {
    if (!this.result) return;
    try {
      this.result = await this.api.call('sequence.fps', { generationId: this.result.id, fps });
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  protected async run(start: () => Promise<{ jobId: string }>): Promise<void> {
    this.error = null;
    this.progress = '';
    this.early = [];
    try {
      const s = await start();
      this.jobId = s.jobId;
      for (const e of this.early.splice(0)) this.handle(e);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  handle(e: ApiEvent): void {
    if (!('jobId' in e) || e.jobId === null) return;
    if (this.jobId === null) {
      if (e.jobId.startsWith('motion-')) this.early.push(e);
      return;
    }
    if (e.jobId !== this.jobId) return;
    if (e.type === 'motion.progress') this.progress = `${e.done}/${e.total}`;
    if (e.type === 'generation.image') this.result = e.generation;
    if (e.type === 'generation.done') this.jobId = null;
    if (e.type === 'job.error') {
      this.error = e.error.message;
      this.jobId = null;
    }
  }
}

export class EditState extends JobState {
  source = $state<PickedImage | null>(null);
  sourcePrompt = $state('');
  describing = $state(false);
  prompt = $state('');
  negative = $state('');
  strength = $state(0.5);
  seed = $state(0);

  prompts(): Record<string, string> {
    return { sourcePrompt: this.sourcePrompt, prompt: this.prompt, negative: this.negative };
  }

  /** Takes the image and asks the run what it shows, in its own words (editable afterwards). */
  async choose(file: File): Promise<void> {
    this.error = null;
    try {
      this.source = await pickImage(file);
      await this.describe();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async describe(): Promise<void> {
    if (!this.source || this.runId === null) return;
    this.describing = true;
    try {
      this.sourcePrompt = (await this.api.call('edit.describe', { ...this.drawWith(this.runId), image: image(this.source) })).sourcePrompt;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.describing = false;
    }
  }

  start(): Promise<void> {
    const { source, runId } = this;
    if (!source || runId === null) return Promise.resolve();
    const input: Input<'edit.start'> = {
      ...this.drawWith(runId),
      image: image(source),
      sourcePrompt: this.sourcePrompt,
      prompt: this.prompt,
      negative: this.negative,
      strength: this.strength,
      seed: this.seed,
    };
    return this.run(() => this.api.call('edit.start', input));
  }
}

export class WalkState extends JobState {
  from = $state('');
  to = $state('');
  negative = $state('');
  seed = $state(0);
  toSeed = $state(1);
  frames = $state(8);
  fps = $state(8);

  prompts(): Record<string, string> {
    return { from: this.from, to: this.to, negative: this.negative };
  }

  start(): Promise<void> {
    const { runId } = this;
    if (runId === null) return Promise.resolve();
    const input: Input<'walk.start'> = {
      ...this.drawWith(runId),
      from: this.from,
      to: this.to,
      negative: this.negative,
      seed: this.seed,
      toSeed: this.toSeed,
      frames: this.frames,
      fps: this.fps,
    };
    return this.run(() => this.api.call('walk.start', input));
  }
}

export class AnimateState extends JobState {
  first = $state<PickedImage | null>(null);
  prompt = $state('');
  frames = $state(8);
  a = $state<PickedImage | null>(null);
  b = $state<PickedImage | null>(null);
  between = $state(3);
  fps = $state(8);

  prompts(): Record<string, string> {
    return { prompt: this.prompt };
  }

  async choose(which: 'first' | 'a' | 'b', file: File): Promise<void> {
    try {
      this[which] = await pickImage(file);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  animate(): Promise<void> {
    const { first, runId } = this;
    if (!first || runId === null) return Promise.resolve();
    return this.run(() =>
      this.api.call('motion.animate', {
        ...this.drawWith(runId),
        image: image(first),
        prompt: this.prompt,
        frames: this.frames,
        fps: this.fps,
      }),
    );
  }

  inbetween(): Promise<void> {
    const { a, b, runId } = this;
    if (!a || !b || runId === null) return Promise.resolve();
    return this.run(() =>
      this.api.call('motion.inbetween', { ...this.drawWith(runId), a: image(a), b: image(b), frames: this.between, fps: this.fps }),
    );
  }
}
