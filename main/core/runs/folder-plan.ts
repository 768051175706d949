// The training config for a folder, chosen before training: the folder's facts (from the Doctor) give
// defaults (ml/defaults.ts), which a preset and then the user's own fields override; with a time
// budget, steps are as many as fit. Shared by `homegrown train <folder>` and the app's Train page.
import { examineFolder, type AcceptedImage } from '../dataset/doctor';
import { mostlyPixelArt } from '../dataset/load';
import { MAX_STEPS, parseConfig, type TrainConfig } from '../ml/config';
import { defaultsFor, type FolderFacts } from '../ml/defaults';

export interface TrainingPlan {
  config: TrainConfig;
  facts: FolderFacts;
  /** Why each field the folder chose has its value (fields the user or preset set are left out). */
  reasons: string[];
}

export interface PlanLayers {
  /** Fields below everything (e.g. the app's checkpoint count). */
  base?: Record<string, unknown>;
  /** Use the folder's facts for the fields nobody set (default true). */
  folderDefaults?: boolean;
  preset?: Partial<TrainConfig>;
  /** The user's own fields: they win. */
  asked?: Record<string, unknown>;
  /** A time budget: with no steps asked for, train as many as fit (the budget ends the run). */
  minutes?: number;
}

/** What the Doctor's examination says about the folder, in the terms the defaults use. */
export function folderFacts(accepted: AcceptedImage[]): FolderFacts {
  const sides = new Map<number, number>();
  for (const f of accepted) sides.set(Math.max(f.width, f.height), (sides.get(Math.max(f.width, f.height)) ?? 0) + 1);
  const nativeSize = [...sides].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  return {
    count: accepted.length,
    nativeSize,
    transparency: accepted.some((f) => f.alphaUsed),
    pixelArt: mostlyPixelArt(accepted),
  };
}

export async function planTraining(folder: string, layers: PlanLayers = {}): Promise<TrainingPlan> {
  const report = await examineFolder(folder, { nearDuplicates: false });
  const accepted = report.files.filter((f): f is AcceptedImage => f.status === 'accepted');
  const facts = folderFacts(accepted);
  // A folder without usable images gets no defaults: loading it says why in its own words.
  const useFolder = (layers.folderDefaults ?? true) && accepted.length > 0;
  const defaults = useFolder ? defaultsFor(facts) : { config: {}, reasons: {} };
  const above = { ...layers.preset, ...layers.asked };
  const budget = layers.minutes !== undefined && above.steps === undefined ? { steps: MAX_STEPS } : {};
  const config = parseConfig({ ...layers.base, ...defaults.config, ...budget, ...above });
  const reasons = Object.entries(defaults.reasons)
    .filter(([field]) => !(field in above))
    .map(([, reason]) => reason);
  return { config, facts, reasons };
}
