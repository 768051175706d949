// Events pushed from the app to the renderer (SSE in web mode, IPC in Electron). Every event has a
// `type`; unknown types must be ignored by listeners, so new ones can be added.
import { z } from 'zod';
import { ApiErrorSchema, Id } from './common';
import { GeneratedImage } from './generate';
import { RunState } from './runs';

export const RunProgressEvent = z.object({
  type: z.literal('run.progress'),
  runId: Id,
  step: z.int(),
  targetStep: z.int(),
  losses: z.record(z.string(), z.number()),
  imagesPerSec: z.number(),
  /** Seconds left at the current speed; null before the speed is known. */
  etaSeconds: z.number().nullable(),
});

export const RunSampleSheetEvent = z.object({ type: z.literal('run.sampleSheet'), runId: Id, step: z.int(), sheetId: Id });
export const RunCheckpointEvent = z.object({
  type: z.literal('run.checkpoint'),
  runId: Id,
  step: z.int(),
  checkpointId: Id,
  sheetId: Id.nullable(),
});

/** A run changed state; `message` says why for failed and interrupted. */
export const RunStateEvent = z.object({
  type: z.literal('run.state'),
  runId: Id,
  state: RunState,
  message: z.string().nullable(),
});

/** The doctor's progress on a folder being opened. */
export const DatasetProgressEvent = z.object({ type: z.literal('dataset.progress'), folder: z.string(), done: z.int(), total: z.int() });

export const GenerationImageEvent = GeneratedImage.extend({
  type: z.literal('generation.image'),
  jobId: z.string(),
  index: z.int(),
  total: z.int(),
});
export const GenerationDoneEvent = z.object({ type: z.literal('generation.done'), jobId: z.string(), count: z.int() });

/** A walk or animation job has drawn `done` of its `total` frames. */
export const MotionProgressEvent = z.object({ type: z.literal('motion.progress'), jobId: z.string(), done: z.int(), total: z.int() });

/** A background job failed (generation job or training run); the app keeps running. */
export const JobErrorEvent = z.object({
  type: z.literal('job.error'),
  jobId: z.string().nullable(),
  runId: Id.nullable(),
  error: ApiErrorSchema,
});

export const ApiEventSchema = z.discriminatedUnion('type', [
  RunProgressEvent,
  RunSampleSheetEvent,
  RunCheckpointEvent,
  RunStateEvent,
  DatasetProgressEvent,
  GenerationImageEvent,
  GenerationDoneEvent,
  JobErrorEvent,
  MotionProgressEvent,
]);
export type ApiEvent = z.infer<typeof ApiEventSchema>;
export type ApiEventType = ApiEvent['type'];
export type EventOf<T extends ApiEventType> = Extract<ApiEvent, { type: T }>;
