// Quality of one checkpoint against the prepared real side: for every prompt, `perPrompt` generations
// from fixed seeds, then CAS, KID, diversity, palette distance and copy rate per prompt and overall.
import type { PromptQuality, QualityPoint } from '#shared/api/runs';
import { imageChannels } from '../ml/alpha';
import { Sampler } from '../runs/sampler';
import { CLASSIFIER_SIDE } from './classifier';
import { copyRate } from './copies';
import { diversityRatio } from './distances';
import { kid, type Features } from './kid';
import { paletteDistance, paletteHistogram } from './palette';
import { overWhite, pixelFeature, resample } from './pixels';
import type { PreparedReference } from './reference';

/** Sampling seeds start here, apart from the sample sheets' 0–5. */
const FIRST_SEED = 10_000;

interface Drawn {
  pixels: Uint8Array[];
  features: Features;
  thumbs: Features;
  correct: boolean[] | null;
}

export async function measureCheckpoint(checkpointDir: string, ref: PreparedReference, backend: string): Promise<QualityPoint> {
  const sampler = await Sampler.open(checkpointDir, backend);
  const { size } = sampler.cfg;
  const channels = imageChannels(sampler.cfg);
  const { settings } = ref.summary;
  const drawn = new Map<string, Drawn>();
  try {
    for (const p of ref.prompts) {
      const pixels: Uint8Array[] = [];
      for (let j = 0; j < settings.perPrompt; j++)
        pixels.push((await sampler.sample({ prompt: p.prompt, seed: FIRST_SEED + settings.seed * 1000 + j })).pixels);
      const thumbs = pixels.map((img) => pixelFeature(img, size, channels));
      let raw = thumbs;
      let correct: boolean[] | null = null;
      if (ref.classifier) {
        const out = ref.classifier.run(pixels.map((img) => resample(overWhite(img, channels), size, CLASSIFIER_SIDE)));
        raw = out.features;
        correct = out.predicted.map((c) => c === p.label);
      }
      const features = raw.map((f) => f.map((v) => v / ref.featureScale));
      drawn.set(p.prompt, { pixels, features, thumbs, correct });
    }
  } finally {
    sampler.dispose();
  }
  const step = sampler.ckpt.state.step;
  const prompts = Object.fromEntries(ref.prompts.map((p) => [p.prompt, score(drawn.get(p.prompt)!, p.real, ref, channels, settings.seed)]));
  const all = [...drawn.values()];
  const everyReal = ref.features.map((_, i) => i);
  const pooled: Drawn = {
    pixels: all.flatMap((d) => d.pixels),
    features: all.flatMap((d) => d.features),
    thumbs: all.flatMap((d) => d.thumbs),
    correct: ref.classifier ? all.flatMap((d) => d.correct!) : null,
  };
  const overall = score(pooled, everyReal, ref, channels, settings.seed);
  // Diversity is a per-prompt notion: pooled over prompts it would reward variety between prompts. Only
  // when no prompt has two real images (every caption its own) is the pooled ratio all there is.
  const ratios = Object.values(prompts).flatMap((q) => (q.diversity === null ? [] : [q.diversity]));
  if (ratios.length) overall.diversity = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  return { step, overall, prompts };
}

function score(d: Drawn, real: number[], ref: PreparedReference, channels: 3 | 4, seed: number): PromptQuality {
  const realFeatures = real.map((i) => ref.features[i]!);
  const realPixels = real.map((i) => ref.dataset.images.read(i));
  const k = real.length >= 2 && d.features.length >= 2 ? kid(d.features, realFeatures, { seed }) : null;
  const threshold = ref.summary.copyThreshold;
  return {
    n: d.pixels.length,
    cas: d.correct ? d.correct.filter(Boolean).length / d.correct.length : null,
    kid: k ? k.kid : null,
    kidStd: k ? k.std : null,
    diversity: diversityRatio(d.features, realFeatures),
    palette: real.length ? paletteDistance(paletteHistogram(d.pixels, channels), paletteHistogram(realPixels, ref.dataset.channels)) : null,
    copyRate: threshold === null ? null : copyRate(d.thumbs, ref.pixels, threshold),
  };
}
