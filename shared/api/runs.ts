// Training runs: start, pause, resume, stop; their losses, log, checkpoints and sample sheets.
import { z } from 'zod';
import { Id, Ok } from './common';
import { PlainText } from './prompt-text';

/** gan and vae draw from prompts; ae also edits images; flow learns motion from frame sequences. */
export const ModelKind = z.enum(['gan', 'vae', 'ae', 'flow']);
/** Training size in px: a multiple of 8 from 16 to 256. */
export const ImageSize = z
  .int()
  .min(16)
  .max(256)
  .refine((n) => n % 8 === 0, { error: 'the training size must be a multiple of 8' });

/**
 * pending: created, not started yet; running: its job process is training; paused: stopped by Pause
 * with a checkpoint, resumable; interrupted: its process died without the user asking (app closed,
 * crash, server restart), resumable from the last checkpoint; failed: training raised an error
 * (`message` says which), resumable if a checkpoint exists; done: reached its steps or was stopped.
 */
export const RunState = z.enum(['pending', 'running', 'paused', 'interrupted', 'failed', 'done']);

export const Run = z.object({
  id: Id,
  datasetId: Id.nullable(),
  /** Dataset name, or the folder name if the dataset was removed. */
  datasetName: z.string(),
  model: ModelKind,
  size: ImageSize,
  /** The full training config (see `app.info` configDefaults for the fields). */
  config: z.record(z.string(), z.unknown()),
  state: RunState,
  /** Why it failed or was interrupted, for the user. */
  message: z.string().nullable(),
  /** Latest step recorded in the log, and the step the current or last leg of training aims at. */
  step: z.int(),
  targetStep: z.int(),
  /** Can be resumed now: paused, interrupted or failed (or done, to train more) with a checkpoint. */
  resumable: z.boolean(),
  backend: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});

export const LossPoint = z.object({
  step: z.int(),
  losses: z.record(z.string(), z.number()),
  imagesPerSec: z.number(),
});

export const Checkpoint = z.object({
  id: Id,
  step: z.int(),
  createdAt: z.number(),
  /** The sample sheet written at this step (image kind 'sheet'), if any. */
  sheetId: Id.nullable(),
  /** False when its files have been removed from disk; it can then no longer be used. */
  available: z.boolean(),
});

export const SampleSheet = z.object({
  id: Id,
  step: z.int(),
  /** Rows are these prompts, columns these seeds. */
  prompts: z.array(z.string()),
  seeds: z.array(z.int()),
});

export const RunDetail = z.object({
  run: Run,
  /** One point per logged step, thinned evenly to at most 2000 points. */
  losses: z.array(LossPoint),
  /** The job's messages (warnings, skipped files, errors), oldest first, at most the last 500 lines. */
  log: z.array(z.string()),
  checkpoints: z.array(Checkpoint),
  sampleSheets: z.array(SampleSheet),
});

/** Quality of a run's generations at one checkpoint, overall or for one prompt (see docs/eval.md). */
export const PromptQuality = z.object({
  /** Generations measured. */
  n: z.int(),
  /** Share of generations the eval classifier recognises as their prompt; null without a classifier. */
  cas: z.number().nullable(),
  /** Unbiased KID in the feature space, and its standard deviation over subsets. */
  kid: z.number().nullable(),
  kidStd: z.number().nullable(),
  /** Mean pairwise feature distance among generations over the same among the real images (1 = as varied). */
  diversity: z.number().nullable(),
  /** Total variation distance between the colour histograms of generations and real images (0–1). */
  palette: z.number().nullable(),
  /** Share of generations closer to a training image than the copy threshold. */
  copyRate: z.number().nullable(),
});

export const QualityPoint = z.object({ step: z.int(), overall: PromptQuality, prompts: z.record(z.string(), PromptQuality) });

/** The real side every checkpoint is compared with: fixed for a run's curve. */
export const QualityReference = z.object({
  dataset: z.string(),
  images: z.int(),
  /** Where KID and diversity are measured: the eval classifier's features, or 16 px thumbnails without one. */
  featureSpace: z.enum(['classifier', 'pixels']),
  classifier: z.object({ classes: z.array(z.string()), trainImages: z.int(), heldOutImages: z.int(), accuracy: z.number() }).nullable(),
  /** Pixel distance under which a generation is a near copy of its nearest training image. */
  copyThreshold: z.number().nullable(),
  /** Palette distance between two halves of the real images: what "as close as real" looks like. */
  paletteRealVsReal: z.object({ overall: z.number().nullable(), prompts: z.record(z.string(), z.number().nullable()) }),
  /** What cannot be measured on this folder, and why, in the user's words. */
  cannot: z.array(z.string()),
  settings: z.object({ seed: z.int(), perPrompt: z.int(), classifierSteps: z.int() }),
});

export const RunQuality = z.object({
  reference: QualityReference.nullable(),
  /** One point per measured checkpoint, oldest first. */
  points: z.array(QualityPoint),
  /** The checkpoint to keep and why; not necessarily the last. */
  best: z.object({ step: z.int(), reason: z.string() }).nullable(),
});

/** Advanced config fields: any subset of the training config; unknown keys are refused by name. */
export const ConfigOverrides = z.record(z.string(), z.unknown());

/** A week: a longer budget is a typo. */
const MAX_MINUTES = 7 * 24 * 60;

/**
 * What to train: empty fields follow the preset, then the dataset (model, size, width and learning
 * settings chosen from what the folder holds). `minutes`: train as many steps as fit, then checkpoint.
 */
const TrainRequest = z.strictObject({
  datasetId: Id,
  model: ModelKind.optional(),
  size: ImageSize.optional(),
  /** A training preset name from `app.info` trainingPresets. */
  preset: z.string().optional(),
  steps: z.int().min(1).optional(),
  minutes: z.number().positive().max(MAX_MINUTES).optional(),
  config: ConfigOverrides.optional(),
});

/** What the dataset holds, as the defaults read it. */
export const FolderFacts = z.object({
  count: z.int(),
  /** The most common longer side of its images, in px. */
  nativeSize: z.int(),
  transparency: z.boolean(),
  pixelArt: z.boolean(),
});

export const TrainingPlan = z.object({
  /** The full config a run started with the same request would train with. */
  config: z.record(z.string(), z.unknown()),
  facts: FolderFacts,
  /** Why the dataset chose each setting that the request left empty. */
  reasons: z.array(z.string()),
  /** One training step of this config on this machine, measured with a few real steps. */
  stepMs: z.number(),
  /** Steps after which results are usually worth looking at, and how long they take here. */
  usefulSteps: z.int(),
  usefulMinutes: z.number(),
  /** Steps this run would train (as many as fit the minutes, with a budget) and how long that takes. */
  plannedSteps: z.int(),
  plannedMinutes: z.number(),
});

export const runMethods = {
  /** Newest first. Interrupted runs have state 'interrupted' and resumable true. */
  'runs.list': { input: z.strictObject({}), output: z.array(Run) },
  'runs.get': { input: z.strictObject({ id: Id }), output: RunDetail },
  /**
   * Starts training in its own process. Config = defaults ← the dataset's ← preset ← { model, size,
   * steps } ← config. Progress arrives as run.* events.
   */
  'runs.start': { input: TrainRequest, output: Run },
  /** Writes a checkpoint and ends the process; state becomes 'paused'. */
  'runs.pause': { input: z.strictObject({ id: Id }), output: Run },
  /** Continues from the newest good checkpoint; `steps` more steps (default: up to the run's target). */
  'runs.resume': { input: z.strictObject({ id: Id, steps: z.int().min(1).optional() }), output: Run },
  /** Writes a checkpoint and ends the process; state becomes 'done'. */
  'runs.stop': { input: z.strictObject({ id: Id }), output: Run },
  /** Deletes a run that is not running, with its checkpoints, sheets and generated images. */
  'runs.delete': { input: z.strictObject({ id: Id }), output: Ok },
  /** The quality curve measured by `homegrown eval <run>` (empty until measured), with the best checkpoint. */
  'runs.quality': { input: z.strictObject({ id: Id }), output: RunQuality },
  /**
   * Adds a run folder made elsewhere (`homegrown train --out`, another machine) to the library, with its
   * checkpoints and sample sheets; the folder stays where it is. A folder that is no run, or is already
   * in the library, is refused with a message for the user.
   */
  'runs.add': { input: z.strictObject({ folder: PlainText.min(1) }), output: Run },
  /** The config `runs.start` would use for the same request, why, and roughly how long it takes here. */
  'runs.plan': { input: TrainRequest, output: TrainingPlan },
} as const;

export type Run = z.infer<typeof Run>;
export type RunDetail = z.infer<typeof RunDetail>;
export type RunState = z.infer<typeof RunState>;
export type Checkpoint = z.infer<typeof Checkpoint>;
export type SampleSheet = z.infer<typeof SampleSheet>;
export type LossPoint = z.infer<typeof LossPoint>;
export type ModelKind = z.infer<typeof ModelKind>;
export type ImageSize = z.infer<typeof ImageSize>;
export type PromptQuality = z.infer<typeof PromptQuality>;
export type QualityPoint = z.infer<typeof QualityPoint>;
export type QualityReference = z.infer<typeof QualityReference>;
export type RunQuality = z.infer<typeof RunQuality>;
export type TrainingPlan = z.infer<typeof TrainingPlan>;
export type FolderFacts = z.infer<typeof FolderFacts>;
