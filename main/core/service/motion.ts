// Image prompts, walks and motion for the app: each request is checked and its model loaded up front
// (so a wrong run or an unreadable image is the call's error), then drawn as a job in a queue; the
// result is one gallery item, announced like a generation. A sequence (walk, animation, in-betweens)
// is stored as its strip, with `params.sequence` saying how to cut it into frames.
import type { ParsedInput } from '#shared/api/index';
import { promises as fs } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Generation as ApiGeneration } from '#shared/api/gallery';
import { type InputImage as ApiImage, DEFAULT_FPS, type MotionStarted, SequenceInfo } from '#shared/api/motion';
import type { Recipe } from '#shared/recipe';
import { type InputImage, inputImageFromBytes } from '../dataset/input-image';
import { UserError } from '../errors';
import { stripFrames, writeSequence } from '../export/sequence';
import { encodeStrip, type FrameSet } from '../media/animation';
import { readRecipe } from '../media/png-meta';
import type { TrainConfig } from '../ml/config';
import { ImageEditor } from '../runs/edit';
import { MotionModel } from '../runs/motion';
import { Sampler } from '../runs/sampler';
import { walkEnds, walkFrame, walkRecipe } from '../runs/walk';
import type { Store } from '../store';
import type { Generation } from '../store/generations';
import type { JsonObject } from '../store/runs';
import { mustExist } from './errors';
import { checkpointFolder } from './run-library';
import type { EventHub } from './events';
import { toApi } from './gallery';
import { userPath } from './user-path';

interface Draft {
  image: Uint8Array;
  recipe: Recipe;
  extra: JsonObject;
}

const EDIT_MODELS = ['ae', 'vae'];

export class MotionService {
  private jobCount = 0;
  /** Jobs run one after another. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly backend: () => Promise<string>,
  ) {}

  async describe(i: ParsedInput<'edit.describe'>): Promise<{ sourcePrompt: string }> {
    const editor = await this.open(i, 'edit', ImageEditor.open);
    try {
      const bytes = Buffer.from(i.image.data, 'base64');
      const image = await readImage(i.image, bytes, editor.sampler.cfg);
      const stored = storedPrompt(bytes);
      return { sourcePrompt: stored ?? (await editor.describe(image)) };
    } finally {
      editor.dispose();
    }
  }

  async edit(i: ParsedInput<'edit.start'>): Promise<MotionStarted> {
    const editor = await this.open(i, 'edit', ImageEditor.open);
    try {
      const image = await readImage(i.image, Buffer.from(i.image.data, 'base64'), editor.sampler.cfg);
      const unknown = [...editor.sampler.unknownWords(i.sourcePrompt), ...editor.sampler.unknownWords(i.prompt, i.negative)];
      return this.job(
        i.runId,
        this.checkpointOf(i).id,
        unknown,
        () => editor.dispose(),
        async () => {
          const s = await editor.edit(image, {
            prompt: i.prompt,
            negative: i.negative,
            sourcePrompt: i.sourcePrompt,
            strength: i.strength,
            seed: i.seed,
          });
          return {
            image: await editor.png(s),
            recipe: s.recipe,
            extra: { kind: 'edit', sourcePrompt: i.sourcePrompt, strength: i.strength, source: image.sha256 },
          };
        },
      );
    } catch (err) {
      editor.dispose();
      throw err;
    }
  }

  async walk(i: ParsedInput<'walk.start'>): Promise<MotionStarted> {
    const sampler = await this.open(i, 'walk', Sampler.open);
    let unknown: string[];
    try {
      unknown = [...sampler.unknownWords(i.from, i.negative), ...sampler.unknownWords(i.to)];
    } catch (err) {
      sampler.dispose();
      throw err;
    }
    return this.job(
      i.runId,
      this.checkpointOf(i).id,
      unknown,
      () => sampler.dispose(),
      async (progress) => {
        const req = { from: i.from, to: i.to, negative: i.negative, frames: i.frames, seeds: [i.seed, i.toSeed] as [number, number] };
        const ends = walkEnds(sampler.vocab, sampler.cfg, req);
        const frames: Uint8Array[] = [];
        for (let f = 0; f < i.frames; f++) {
          frames.push(await walkFrame(sampler.weights, sampler.cfg, ends, f / (i.frames - 1)));
          await progress(f + 1, i.frames);
        }
        const set = { frames, width: sampler.cfg.size, height: sampler.cfg.size };
        return sequence(set, i.fps, walkRecipe(sampler, req), 'walk', { toPrompt: i.to, toSeed: i.toSeed });
      },
    );
  }

  async animate(i: ParsedInput<'motion.animate'>): Promise<MotionStarted> {
    const model = await this.open(i, 'motion', MotionModel.open);
    try {
      const first = await readImage(i.image, Buffer.from(i.image.data, 'base64'), model.cfg);
      return this.job(
        i.runId,
        this.checkpointOf(i).id,
        model.unknownWords(i.prompt),
        () => model.dispose(),
        async (progress) => {
          const frames = [first.pixels];
          await progress(1, i.frames);
          while (frames.length < i.frames) {
            frames.push(await model.nextFrame(frames.at(-1)!, i.prompt));
            await progress(frames.length, i.frames);
          }
          const recipe = model.recipe({ prompt: i.prompt, source: first.sha256, frames: frames.length });
          return sequence({ frames, width: model.cfg.size, height: model.cfg.size }, i.fps, recipe, 'animate', { source: first.sha256 });
        },
      );
    } catch (err) {
      model.dispose();
      throw err;
    }
  }

  async inbetween(i: ParsedInput<'motion.inbetween'>): Promise<MotionStarted> {
    const model = await this.open(i, 'motion', MotionModel.open);
    try {
      const a = await readImage(i.a, Buffer.from(i.a.data, 'base64'), model.cfg);
      const b = await readImage(i.b, Buffer.from(i.b.data, 'base64'), model.cfg);
      // Drawn now, so frames of different sizes are this call's error; the job saves them.
      const frames = await model.inbetween(a, b, i.frames);
      return this.job(
        i.runId,
        this.checkpointOf(i).id,
        [],
        () => model.dispose(),
        async () => {
          const recipe = model.recipe({ prompt: '', source: a.sha256, toSource: b.sha256, frames: frames.length });
          return sequence({ frames, width: model.cfg.size, height: model.cfg.size }, i.fps, recipe, 'inbetween', {
            source: a.sha256,
            toSource: b.sha256,
          });
        },
      );
    } catch (err) {
      model.dispose();
      throw err;
    }
  }

  /**
   * A gallery sequence as strip, GIF, WebP and sprite sheet, in a new folder inside `i.folder`; the
   * animations play at the sequence's own speed unless `i.fps` says otherwise.
   */
  async exportSequence(i: ParsedInput<'sequence.export'>): Promise<{ folder: string; files: string[] }> {
    const g = mustExist(this.store.generations.get(i.generationId), `image ${i.generationId}`);
    const info = SequenceInfo.safeParse(g.params['sequence']);
    if (!info.success) throw new UserError(`Image ${g.id} is a single image, not a sequence of frames`);
    const bytes = await fs.readFile(this.store.files.resolve(g.path)).catch(() => {
      throw new UserError(`The file of image ${g.id} is missing`);
    });
    const set = await stripFrames(bytes, info.data.frames);
    const recipe =
      readRecipe(bytes).recipe ?? ({ prompt: g.prompt, negative: g.negative, seed: g.seed, ...(g.params as object) } as Recipe);
    const name = `${info.data.kind}-image-${g.id}`;
    const fps = i.fps ?? info.data.fps ?? DEFAULT_FPS;
    return writeSequence(set, recipe, userPath(i.folder), name, { formats: i.formats, fps, scale: i.scale });
  }

  /** Keeps the speed a gallery sequence plays at. */
  setFps(i: ParsedInput<'sequence.fps'>): ApiGeneration {
    this.store.generations.setSequenceFps(i.generationId, i.fps);
    return toApi(this.store.generations.get(i.generationId)!);
  }

  /** Resolves when every queued job has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  private checkpointOf(i: { runId: number; checkpointId?: number }) {
    const run = mustExist(this.store.runs.get(i.runId), `run ${i.runId}`);
    const checkpoints = this.store.runs.checkpoints(run.id).filter((c) => this.store.files.exists(`${c.path}/manifest.json`));
    const c = i.checkpointId === undefined ? checkpoints.at(-1) : checkpoints.find((k) => k.id === i.checkpointId);
    if (!c) {
      throw new UserError(
        i.checkpointId === undefined
          ? `Run ${run.id} has no checkpoint yet; train it for a while first`
          : `Checkpoint ${i.checkpointId} is not an available checkpoint of run ${run.id}`,
      );
    }
    return c;
  }

  /** The run's model, refused in the app's words when it cannot do `use`. */
  private async open<T>(
    i: { runId: number; checkpointId?: number },
    use: 'edit' | 'walk' | 'motion',
    open: (dir: string, backend: string) => Promise<T>,
  ): Promise<T> {
    const run = mustExist(this.store.runs.get(i.runId), `run ${i.runId}`);
    if (use === 'edit' && !EDIT_MODELS.includes(run.model)) {
      throw new UserError(`Run ${run.id} is a ${run.model} run, which cannot read images: editing an image needs an ae or vae run`);
    }
    if (use === 'walk' && run.model === 'flow')
      throw new UserError(`Run ${run.id} is a flow run, which animates frames: a walk needs a gan, vae or ae run`);
    if (use === 'motion' && run.model !== 'flow') {
      throw new UserError(
        `Run ${run.id} is a ${run.model} run: animating and in-betweens need a flow run (trained on a folder of frame sequences)`,
      );
    }
    return open(await checkpointFolder(this.store, this.checkpointOf(i).path), await this.backend());
  }

  /** Queues `work`, which reports its frames through `progress` (announced, then a turn of the event loop for other requests). */
  private job(
    runId: number,
    checkpointId: number,
    unknown: string[],
    dispose: () => void,
    work: (progress: (done: number, total: number) => Promise<void>) => Promise<Draft>,
  ): MotionStarted {
    const jobId = `motion-${++this.jobCount}-${Date.now().toString(36)}`;
    const progress = async (done: number, total: number) => {
      this.hub.emit({ type: 'motion.progress', jobId, done, total });
      await nextTurn();
    };
    this.queue = this.queue.then(async () => {
      try {
        const generation = this.save(runId, checkpointId, await work(progress));
        this.hub.emit({ type: 'generation.image', jobId, index: 0, total: 1, generation: toApi(await generation), cell: null });
        this.hub.emit({ type: 'generation.done', jobId, count: 1 });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.hub.emit({ type: 'job.error', jobId, runId, error: { code: err instanceof UserError ? 'user' : 'internal', message } });
      } finally {
        dispose();
      }
    });
    return { jobId, unknownWords: [...new Set(unknown)] };
  }

  private save(runId: number, checkpointId: number, d: Draft): Promise<Generation> {
    const r = d.recipe;
    return this.store.generations.save({
      image: d.image,
      prompt: r.prompt,
      negative: r.negative,
      seed: r.seed,
      runId,
      checkpointId,
      backend: r.backend,
      params: { model: r.model, size: r.size, step: r.step, checkpoint: r.checkpoint, run: r.run, appVersion: r.appVersion, ...d.extra },
    });
  }
}

/** A dropped image read like a training image of the run. */
function readImage(input: ApiImage, bytes: Buffer, cfg: TrainConfig): Promise<InputImage> {
  return inputImageFromBytes(bytes, { size: cfg.size, fit: cfg.fit }, input.name ?? 'The image').catch((e: unknown) => {
    if (e instanceof UserError) throw e;
    throw new UserError(`${input.name ?? 'The file'} is not an image Homegrown can read`);
  });
}

/** The prompt a Homegrown PNG was made with, if the image is one. */
function storedPrompt(bytes: Buffer): string | undefined {
  try {
    return readRecipe(bytes).recipe?.prompt || undefined;
  } catch {
    return undefined;
  }
}

async function sequence(set: FrameSet, fps: number, recipe: Recipe, kind: SequenceInfo['kind'], extra: JsonObject): Promise<Draft> {
  const info: SequenceInfo = { frames: set.frames.length, width: set.width, height: set.height, kind, fps };
  return { image: await encodeStrip(set, recipe), recipe, extra: { kind, sequence: info, ...extra } };
}
