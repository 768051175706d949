// Generation: prompts in, images out, each streamed as a `generation.image` event as it is made.
import { z } from 'zod';
import { TILE_MODES } from '../recipe';
import { MAX_SEED } from '../rng';
import { MAX_TEMPLATE_LENGTH } from '../prompt/wildcards';
import { PlainText } from './prompt-text';
import { Id } from './common';
import { Generation } from './gallery';

/** Most images asked for per prompt at once. */
export const MAX_COUNT = 256;

export const SeedMode = z.enum(['random', 'fixed', 'increment']);

export const GridAxisInput = z.strictObject({
  /** prompt: A1111 Prompt S/R; seed; checkpoint (checkpoint ids); weight (first value a fragment). */
  kind: z.enum(['prompt', 'seed', 'checkpoint', 'weight']),
  /** Comma-separated values as in A1111's X/Y plot, e.g. "red,blue" or "1-5" or "0.5-1.5 [3]". */
  values: PlainText.min(1),
});

export const GenerateInput = z.strictObject({
  runId: Id,
  /** Default: the run's newest good checkpoint. */
  checkpointId: Id.optional(),
  prompt: PlainText.max(MAX_TEMPLATE_LENGTH),
  negative: PlainText.max(MAX_TEMPLATE_LENGTH).default(''),
  /**
   * random: a new random seed per image; fixed: every prompt (grid cell) starts at `seed`, its
   * `count` copies get seed, seed+1, … (one seed would draw the same image again); increment: seed,
   * seed+1, … across all images. Fixed and increment need `seed`.
   */
  seedMode: SeedMode.default('random'),
  seed: z.int().min(0).max(MAX_SEED).optional(),
  /** Images per prompt (per expanded prompt in wildcard mode; per cell in grid mode). */
  count: z.int().min(1).max(MAX_COUNT).default(1),
  /** Presets applied in order (A1111 style merge: `{prompt}` templates, negatives appended). */
  presetIds: z.array(Id).default([]),
  /**
   * single: the prompt, `{a|b}` variants picked per image by its seed; wildcard: the same, or with
   * `combinatorial` every combination; grid: X/Y plot over `x` (and `y`); a checkpoint axis names
   * checkpoints by step ("500, 1500", or "1000-3000" for every checkpoint in that range).
   */
  mode: z.enum(['single', 'wildcard', 'grid']).default('single'),
  combinatorial: z.boolean().default(false),
  x: GridAxisInput.optional(),
  y: GridAxisInput.optional(),
  tags: z.array(PlainText).default([]),
  /** Seamless tiles: the image wraps around along these axes. */
  tile: z.enum(TILE_MODES).optional(),
});

/** What a request would draw, before drawing: shown on the form (e.g. "a 4×3 grid × 8 = 96 images"). */
export const GeneratePlan = z.object({
  total: z.int(),
  /** The prompts that will be drawn, after presets and expansion (first 100). */
  prompts: z.array(z.string()),
  grid: z.object({ xLabels: z.array(z.string()), yLabels: z.array(z.string()) }).nullable(),
});

export const GenerateStarted = z.object({
  /** Matches `jobId` on generation.* events. */
  jobId: z.string(),
  total: z.int(),
  /** The prompts that will be drawn, after presets and expansion (first 100). */
  prompts: z.array(z.string()),
  /** Words the model never learned; they have no effect. */
  unknownWords: z.array(z.string()),
  grid: z.object({ xLabels: z.array(z.string()), yLabels: z.array(z.string()) }).nullable(),
});

export const GeneratedImage = z.object({
  generation: Generation,
  /** Grid cell, in grid mode. */
  cell: z.object({ x: z.int(), y: z.int() }).nullable(),
});

export const generateMethods = {
  /** Validates and starts; images arrive as events (generation.image, then generation.done or job.error). */
  'generate.start': { input: GenerateInput, output: GenerateStarted },
  /** The image count, prompts and grid labels `generate.start` would draw, drawing nothing. */
  'generate.plan': { input: GenerateInput, output: GeneratePlan },
} as const;

export type GenerateInput = z.infer<typeof GenerateInput>;
export type GenerateStarted = z.infer<typeof GenerateStarted>;
export type GeneratePlan = z.infer<typeof GeneratePlan>;
export type GeneratedImage = z.infer<typeof GeneratedImage>;
export type SeedMode = z.infer<typeof SeedMode>;
export type GridAxisInput = z.infer<typeof GridAxisInput>;
