// The one typed API contract between the renderer and the app (see README.md in this folder).
import type { z } from 'zod';
import { appMethods } from './app';
import { datasetMethods } from './datasets';
import { exportMethods } from './export';
import { galleryMethods } from './gallery';
import { generateMethods } from './generate';
import { motionMethods } from './motion';
import type { MethodName } from './names';
import { promptMethods } from './prompts';
import { recipeMethods } from './recipe';
import { runMethods } from './runs';

export const API = {
  ...appMethods,
  ...datasetMethods,
  ...runMethods,
  ...generateMethods,
  ...galleryMethods,
  ...promptMethods,
  ...exportMethods,
  ...recipeMethods,
  ...motionMethods,
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

// Every name in names.ts has a schema and every schema a name (checked by the compiler both ways).
const exhaustive: Record<keyof typeof API, true> & Record<MethodName, true> = {} as Record<MethodName, true>;
void exhaustive;

/** What a caller passes (defaults may be left out). */
export type Input<M extends MethodName> = z.input<(typeof API)[M]['input']>;
/** What the implementation receives after validation (defaults filled in). */
export type ParsedInput<M extends MethodName> = z.output<(typeof API)[M]['input']>;
export type Output<M extends MethodName> = z.output<(typeof API)[M]['output']>;

/** Both transports implement this; so does the service behind them. */
export type Call = <M extends MethodName>(method: M, input: Input<M>) => Promise<Output<M>>;

export * from './names';
export * from './common';
export * from './events';
export { AppInfo } from './app';
export { Dataset, DatasetImage, DoctorReport, SkippedFile, CaptionSource } from './datasets';
export { Run, RunDetail, RunState, Checkpoint, SampleSheet, LossPoint, ModelKind, ImageSize } from './runs';
export { GenerateInput, GenerateStarted, GeneratedImage, SeedMode, GridAxisInput } from './generate';
export { Generation, GenerationDetail, GalleryQuery, Recipe } from './gallery';
export { PromptUse, PromptCheck, PromptSegment, Preset, PresetInput, PresetFormat } from './prompts';
export { InputImage, MotionStarted, SequenceInfo, type SequenceFormat, MAX_SEQUENCE_FRAMES, DEFAULT_FPS } from './motion';
