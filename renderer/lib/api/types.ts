// Plain types for the contract's schemas, as the pages use them.
import type { z } from 'zod';
import type { AppInfo } from '#shared/api/app';
import type { Dataset, DatasetImage, DoctorReport } from '#shared/api/datasets';
import type { Generation, GenerationDetail } from '#shared/api/gallery';
import type { Preset, PromptCheck, PromptUse } from '#shared/api/prompts';
import type { Checkpoint, Run, RunDetail } from '#shared/api/runs';

export type AppInfoT = z.infer<typeof AppInfo>;
export type DatasetT = z.infer<typeof Dataset>;
export type DatasetImageT = z.infer<typeof DatasetImage>;
export type DoctorReportT = z.infer<typeof DoctorReport>;
export type RunT = z.infer<typeof Run>;
export type RunDetailT = z.infer<typeof RunDetail>;
export type CheckpointT = z.infer<typeof Checkpoint>;
export type GenerationT = z.infer<typeof Generation>;
export type GenerationDetailT = z.infer<typeof GenerationDetail>;
export type PromptUseT = z.infer<typeof PromptUse>;
export type PromptCheckT = z.infer<typeof PromptCheck>;
export type PresetT = z.infer<typeof Preset>;
