// The real side of a run's quality curve, prepared once and compared with every checkpoint: the
// training folder decoded as the run sees it, the eval classifier (when the captions allow one) and its
// accuracy on held-out real images, the features of every real image, the copy threshold, and the
// real-against-real palette distances that say what "close" means on this folder.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { QualityReference } from '#shared/api/runs';
import { loadDataset, type LoadedDataset } from '../dataset/load';
import { UserError } from '../errors';
import type { TrainConfig } from '../ml/config';
import { Classifier, CLASSIFIER_DEFAULTS, CLASSIFIER_SIDE } from './classifier';
import { copyThreshold } from './copies';
import { type Features, rmsScale } from './kid';
import { captionClasses, captionCounts, holdOutSplit, MAX_CLASSES } from './labels';
import { paletteDistance, paletteHistogram } from './palette';
import { overWhite, pixelFeature, resample } from './pixels';

export interface QualitySettings {
  seed: number;
  /** Generations drawn per prompt at each checkpoint. */
  perPrompt: number;
  classifierSteps: number;
}

export const QUALITY_DEFAULTS: QualitySettings = { seed: 0, perPrompt: 16, classifierSteps: CLASSIFIER_DEFAULTS.steps };

export interface PreparedReference {
  summary: QualityReference;
  dataset: LoadedDataset;
  /** The prompts measured, each with the indices of its real images. */
  prompts: { prompt: string; real: number[]; label: number }[];
  classifier: Classifier | null;
  /** Per real image, in the feature space of `summary.featureSpace`, divided by `featureScale`. */
  features: Features;
  /** The RMS of the real images' raw features (kid.rmsScale): every feature vector is divided by it. */
  featureScale: number;
  /** Per real image, its 16 px thumbnail (copies and nearest training images). */
  pixels: Features;
  dispose(): void;
}

export async function prepareReference(
  datasetDir: string,
  cfg: Pick<TrainConfig, 'size' | 'fit' | 'alpha'>,
  settings: QualitySettings,
  cacheDir?: string,
): Promise<PreparedReference> {
  if (!(await fs.stat(datasetDir).catch(() => null))?.isDirectory()) {
    throw new UserError(`the run's training folder ${datasetDir} is gone; quality is measured against its images, so put it back first`);
  }
  const dataset = await loadDataset(datasetDir, { size: cfg.size, fit: cfg.fit, alpha: cfg.alpha === 'on' ? 'on' : 'off', cacheDir });
  const { size, channels } = dataset;
  const images = dataset.items.map((_, i) => dataset.images.read(i));
  const captions = dataset.items.map((i) => i.caption);
  const cannot: string[] = [];
  const classes = captionClasses(captions);
  let classifier: Classifier | null = null;
  let classifierSummary: QualityReference['classifier'] = null;
  const small = 'reason' in classes ? [] : images.map((img) => resample(overWhite(img, channels), size, CLASSIFIER_SIDE));
  if ('reason' in classes) {
    cannot.push(
      `no classifier, so no CAS (recognised-as-prompt rate): ${classes.reason}; KID and diversity are measured on 16 px thumbnails instead`,
    );
  } else {
    const held = holdOutSplit(
      dataset.items.map((i) => i.path),
      classes.labels,
      settings.seed,
    );
    const trainIdx = classes.labels.flatMap((l, i) => (l >= 0 && !held.has(i) ? [i] : []));
    const heldIdx = [...held].sort((a, b) => a - b);
    classifier = Classifier.train(
      trainIdx.map((i) => small[i]!),
      trainIdx.map((i) => classes.labels[i]!),
      classes.names.length,
      { ...CLASSIFIER_DEFAULTS, steps: settings.classifierSteps, seed: settings.seed },
    );
    const predicted = classifier.run(heldIdx.map((i) => small[i]!)).predicted;
    const correct = heldIdx.filter((i, k) => predicted[k] === classes.labels[i]).length;
    classifierSummary = {
      classes: classes.names,
      trainImages: trainIdx.length,
      heldOutImages: heldIdx.length,
      accuracy: correct / heldIdx.length,
    };
  }
  const pixels = images.map((img) => pixelFeature(img, size, channels));
  const raw = classifier ? classifier.run(small).features : pixels;
  const featureScale = rmsScale(raw);
  const features = raw.map((f) => f.map((v) => v / featureScale));

  const names =
    'reason' in classes
      ? captionCounts(captions)
          .slice(0, MAX_CLASSES)
          .map(([c]) => c)
      : classes.names;
  const prompts = names.map((prompt, label) => ({
    prompt,
    label: 'reason' in classes ? -1 : label,
    real: captions.flatMap((c, i) => (c === prompt ? [i] : [])),
  }));
  if (prompts.every((p) => p.real.length < 2)) cannot.push('no per-prompt KID or diversity: no caption is shared by two images');
  const threshold = copyThreshold(pixels);
  if (threshold === null) cannot.push('no copy rate: it needs at least two training images');

  const halves = (idx: number[]): number | null => {
    if (idx.length < 2) return null;
    const order = [...idx].sort((a, b) =>
      hashOf(settings.seed, dataset.items[a]!.path) < hashOf(settings.seed, dataset.items[b]!.path) ? -1 : 1,
    );
    const part = (r: number) =>
      paletteHistogram(
        order.filter((_, k) => k % 2 === r).map((i) => images[i]!),
        channels,
      );
    return paletteDistance(part(0), part(1));
  };
  const summary: QualityReference = {
    dataset: dataset.root,
    images: images.length,
    featureSpace: classifier ? 'classifier' : 'pixels',
    classifier: classifierSummary,
    copyThreshold: threshold,
    paletteRealVsReal: {
      overall: halves(images.map((_, i) => i)),
      prompts: Object.fromEntries(prompts.map((p) => [p.prompt, halves(p.real)])),
    },
    cannot,
    settings,
  };
  return { summary, dataset, prompts, classifier, features, featureScale, pixels, dispose: () => classifier?.dispose() };
}

function hashOf(seed: number, path: string): string {
  return createHash('sha256').update(`${seed}\0${path}`).digest('hex');
}
