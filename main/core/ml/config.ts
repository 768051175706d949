// One typed training config with defaults and presets, validated at the edge: unknown keys are errors.
import { z } from 'zod';
import { MAX_SEED } from '#shared/rng';
import { UserError } from '../errors';

export const MODELS = ['gan', 'vae', 'ae', 'flow'] as const;
/** Common training sizes; any multiple of 8 from MIN_SIZE to MAX_SIZE trains (model.sizePlan). */
export const SIZES = [32, 64, 128] as const;
export const MIN_SIZE = 16;
export const MAX_SIZE = 256;
const SIZE_RULE = `a multiple of 8 from ${MIN_SIZE} to ${MAX_SIZE} px (e.g. 32, 64, 72, 128)`;

/** Whether a training size is one the models can be built for. */
export const isTrainingSize = (size: number) => Number.isInteger(size) && size >= MIN_SIZE && size <= MAX_SIZE && size % 8 === 0;
export const AUGMENTS = ['color', 'translation', 'cutout'] as const;
/** Weeks of training on a fast machine; a bigger number is a typo, not a plan. */
export const MAX_STEPS = 1_000_000;

export const TrainConfigSchema = z.strictObject({
  model: z.enum(MODELS).default('gan'),
  size: z
    .number()
    .refine(isTrainingSize, { error: (i) => `the training size must be ${SIZE_RULE}, not ${String(i.input)}` })
    .default(32),
  fit: z.enum(['crop', 'pad']).default('crop'),
  steps: z.int().min(1).max(MAX_STEPS).default(3000),
  batch: z.int().min(1).max(256).default(16),
  seed: z.int().min(0).max(MAX_SEED).default(0),
  /** Base channel count; the widest layer has at most 16× this (capped at 256). */
  channels: z.int().min(4).max(128).default(16),
  zDim: z.int().min(4).max(512).default(64),
  embDim: z.int().min(4).max(512).default(64),
  styleDim: z.int().min(8).max(1024).default(128),
  /** Adam's step size; left out, the model's own default (DEFAULT_LR). */
  lr: z.number().positive().max(1).optional(),
  beta1: z.number().min(0).max(0.999).default(0),
  beta2: z.number().min(0).max(0.9999).default(0.99),
  emaBeta: z.number().min(0).max(0.9999).default(0.999),
  /** DiffAugment policy; "color,translation" on the command line, "" or "none" for none. */
  augment: z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s && s !== 'none')
          : v,
      z.array(z.enum(AUGMENTS)),
    )
    .default([...AUGMENTS]),
  /**
   * GAN: the share of images the colour augmentation applies to; the rest keep their true colours.
   * At 1 the judge stops seeing the set's brightness and samples drift lighter (docs/quality.md).
   */
  colorChance: z.number().min(0).max(1).default(0.5),
  /** VAE: KL weight and the steps over which it ramps up from 0. */
  klWeight: z.number().min(0).default(1),
  klWarmup: z.int().min(0).default(1000),
  /** How strongly a negative prompt pushes the condition away from its tokens. */
  negativeScale: z.number().min(0).max(4).default(0.5),
  /** RGBA model (alpha as a 4th channel): 'auto' = when the dataset uses alpha; resolved to on/off at train start. */
  alpha: z.enum(['auto', 'on', 'off']).default('auto'),
  /**
   * Snap samples to `palette` (every pixel to its nearest colour, hard alpha): 'auto' = when the folder
   * is pixel art; resolved to on/off at train start, with the palette taken from the training images.
   */
  snap: z.enum(['auto', 'on', 'off']).default('auto'),
  /** The palette samples are snapped to, "#rrggbb,…"; empty = take it from the training images. */
  palette: z
    .preprocess(
      (v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : v,
      z.array(z.string().regex(/^#[0-9a-fA-F]{6}$/u, 'colours are written #rrggbb')).max(256),
    )
    .default([]),
  /**
   * The generator's ×2 up-sampling: nearest-neighbour then conv ('resize'), or sub-pixel conv, which
   * runs from before 'resize' existed use (their weights have that shape).
   */
  upsample: z.enum(['subpixel', 'resize']).default('resize'),
  /** GAN: mode-seeking weight (Mao et al. 2019): pushes two seeds of one prompt to different images. */
  modeSeeking: z.number().min(0).max(10).default(0.03),
  sampleEvery: z.int().min(1).default(250),
  checkpointEvery: z.int().min(1).default(500),
  keepCheckpoints: z.int().min(1).default(3),
});

export type TrainConfig = Omit<z.infer<typeof TrainConfigSchema>, 'lr'> & { lr: number };

/**
 * Measured on real folders (docs/quality.md): at 2e-4 the GAN's samples and the autoencoders'
 * reconstructions stay mottled with colour noise for thousands of steps; these rates remove most of it.
 */
export const DEFAULT_LR: Record<(typeof MODELS)[number], number> = { gan: 5e-4, vae: 1e-3, ae: 1e-3, flow: 1e-3 };

/** Starting points a user can pick and then override field by field. */
export const PRESETS: Record<string, Partial<TrainConfig>> = {
  sketch32: { size: 32, steps: 2000, channels: 16 },
  icons64: { size: 64, steps: 6000, channels: 16 },
  detail128: { size: 128, steps: 20000, channels: 16 },
};

export function parseConfig(input: unknown): TrainConfig {
  const r = TrainConfigSchema.safeParse(input);
  if (r.success) return { ...r.data, lr: r.data.lr ?? DEFAULT_LR[r.data.model] };
  const issue = r.error.issues[0];
  const where = issue!.path.length ? `${issue!.path.join('.')}: ` : '';
  throw new UserError(`invalid training config: ${where}${issue!.message}`);
}
