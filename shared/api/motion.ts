// Image prompts, walks and motion: edit an image towards a new prompt (ae/vae runs), walk from one
// prompt and seed to another, animate a still or in-between two frames (flow runs), and export a
// sequence. Each job's result is one gallery item, announced as `generation.image` (then
// `generation.done`, or `job.error`); a sequence is stored as its strip, frames left to right.
import { z } from 'zod';
import { MAX_SEED } from '../rng';
import { MAX_TEMPLATE_LENGTH } from '../prompt/wildcards';
import { PlainText } from './prompt-text';
import { Id } from './common';
import { Generation } from './gallery';
import { MAX_RECIPE_IMAGE_BYTES } from './recipe';

/** Longest walk, animation or in-between run made at once (the first and last frames included). */
export const MAX_SEQUENCE_FRAMES = 64;

/** An image the user hands in (dropped or chosen): its bytes, base64-encoded, and its name for messages. */
export const InputImage = z.strictObject({
  data: z.base64().max(Math.ceil(MAX_RECIPE_IMAGE_BYTES / 3) * 4, 'the image is larger than 8 MB'),
  name: z.string().max(255).optional(),
});

const Prompt = PlainText.max(MAX_TEMPLATE_LENGTH);
const Seed = z.int().min(0).max(MAX_SEED);
/** The run and, by default its newest good, checkpoint to draw with. */
const RunChoice = { runId: Id, checkpointId: Id.optional() };

export const MotionStarted = z.object({
  /** Matches `jobId` on the generation.image / generation.done / job.error events. */
  jobId: z.string(),
  /** Words the model never learned; they have no effect. */
  unknownWords: z.array(z.string()),
});

/** Frames per second a sequence plays at; DEFAULT_FPS where none was chosen. */
export const Fps = z.int().min(1).max(60);
export const DEFAULT_FPS = 8;

/**
 * How a gallery item made here is laid out: `frames` frames of width × height, left to right, played
 * at `fps` (absent on sequences made before it was kept).
 */
export const SequenceInfo = z.object({
  frames: z.int(),
  width: z.int(),
  height: z.int(),
  kind: z.enum(['walk', 'animate', 'inbetween']),
  fps: Fps.optional(),
});

export const SEQUENCE_FORMATS = ['strip', 'gif', 'webp', 'sheet'] as const;

export const motionMethods = {
  /** The training caption under which the run redraws the image best: the source prompt, in the run's words. */
  'edit.describe': {
    input: z.strictObject({ ...RunChoice, image: InputImage }),
    output: z.object({ sourcePrompt: z.string() }),
  },
  /**
   * The image moved towards `prompt`: strength 0 redraws it, 1 is what `prompt` with `seed` draws
   * whatever the image. Result: one generation.
   */
  'edit.start': {
    input: z.strictObject({
      ...RunChoice,
      image: InputImage,
      sourcePrompt: Prompt,
      prompt: Prompt,
      negative: Prompt.default(''),
      strength: z.number().min(0).max(1),
      seed: Seed,
    }),
    output: MotionStarted,
  },
  /** Frames from (from, seed) to (to, toSeed); equal seeds blend the prompts only. Result: one sequence. */
  'walk.start': {
    input: z.strictObject({
      ...RunChoice,
      from: Prompt,
      to: Prompt,
      negative: Prompt.default(''),
      seed: Seed,
      toSeed: Seed,
      frames: z.int().min(2).max(MAX_SEQUENCE_FRAMES),
      fps: Fps.default(DEFAULT_FPS),
    }),
    output: MotionStarted,
  },
  /** A flow run: the still (frame 1), then frames each predicted from the one before. Result: one sequence. */
  'motion.animate': {
    input: z.strictObject({
      ...RunChoice,
      image: InputImage,
      prompt: Prompt,
      frames: z.int().min(2).max(MAX_SEQUENCE_FRAMES),
      fps: Fps.default(DEFAULT_FPS),
    }),
    output: MotionStarted,
  },
  /** A flow run: a, `frames` in-between frames, b. Result: one sequence. */
  'motion.inbetween': {
    input: z.strictObject({
      ...RunChoice,
      a: InputImage,
      b: InputImage,
      frames: z
        .int()
        .min(1)
        .max(MAX_SEQUENCE_FRAMES - 2),
      fps: Fps.default(DEFAULT_FPS),
    }),
    output: MotionStarted,
  },
  /**
   * A sequence from the gallery into a new folder inside `folder` (never overwriting): strip.png,
   * animation.gif, animation.webp, sheet.png with sheet.json (TexturePacker hash atlas, grid cells).
   */
  'sequence.export': {
    input: z.strictObject({
      generationId: Id,
      folder: PlainText.min(1),
      formats: z
        .array(z.enum(SEQUENCE_FORMATS))
        .min(1)
        .default([...SEQUENCE_FORMATS]),
      /** The sequence's own speed when left out. */
      fps: Fps.optional(),
      /** Nearest-neighbour enlargement. */
      scale: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]).default(1),
    }),
    output: z.object({ folder: z.string(), files: z.array(z.string()) }),
  },
  /** Keeps the speed a sequence plays at (in the gallery, and its GIF and WebP by default). */
  'sequence.fps': {
    input: z.strictObject({ generationId: Id, fps: Fps }),
    output: Generation,
  },
} as const;

export type InputImage = z.infer<typeof InputImage>;
export type MotionStarted = z.infer<typeof MotionStarted>;
export type SequenceInfo = z.infer<typeof SequenceInfo>;
export type SequenceFormat = (typeof SEQUENCE_FORMATS)[number];
