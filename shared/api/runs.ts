// Training runs: start, pause, resume, stop; their losses, log, checkpoints and sample sheets.
import { z } from 'zod';
import { Id, Ok } from './common';

export const ModelKind = z.enum(['gan', 'vae']);
export const ImageSize = z.union([z.literal(32), z.literal(64), z.literal(128)]);

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

/** Advanced config fields: any subset of the training config; unknown keys are refused by name. */
export const ConfigOverrides = z.record(z.string(), z.unknown());

export const runMethods = {
  /** Newest first. Interrupted runs have state 'interrupted' and resumable true. */
  'runs.list': { input: z.strictObject({}), output: z.array(Run) },
  'runs.get': { input: z.strictObject({ id: Id }), output: RunDetail },
  /**
   * Starts training in its own process. Config = defaults ← preset ← { model, size, steps } ← config.
   * Progress arrives as run.* events.
   */
  'runs.start': {
    input: z.strictObject({
      datasetId: Id,
      model: ModelKind,
      size: ImageSize,
      /** A training preset name from `app.info` trainingPresets. */
      preset: z.string().optional(),
      steps: z.int().min(1).optional(),
      config: ConfigOverrides.optional(),
    }),
    output: Run,
  },
  /** Writes a checkpoint and ends the process; state becomes 'paused'. */
  'runs.pause': { input: z.strictObject({ id: Id }), output: Run },
  /** Continues from the newest good checkpoint; `steps` more steps (default: up to the run's target). */
  'runs.resume': { input: z.strictObject({ id: Id, steps: z.int().min(1).optional() }), output: Run },
  /** Writes a checkpoint and ends the process; state becomes 'done'. */
  'runs.stop': { input: z.strictObject({ id: Id }), output: Run },
  /** Deletes a run that is not running, with its checkpoints, sheets and generated images. */
  'runs.delete': { input: z.strictObject({ id: Id }), output: Ok },
} as const;

export type Run = z.infer<typeof Run>;
export type RunDetail = z.infer<typeof RunDetail>;
export type RunState = z.infer<typeof RunState>;
export type Checkpoint = z.infer<typeof Checkpoint>;
export type SampleSheet = z.infer<typeof SampleSheet>;
export type LossPoint = z.infer<typeof LossPoint>;
export type ModelKind = z.infer<typeof ModelKind>;
export type ImageSize = z.infer<typeof ImageSize>;
