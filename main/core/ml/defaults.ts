// Training settings chosen from what a folder holds, so `homegrown train <folder>` and the app's Train
// page start from something that suits it. A pure function of the folder's facts: each choice comes
// with the reason the user is shown.
import { MAX_SIZE, MIN_SIZE, type TrainConfig } from './config';

export interface FolderFacts {
  /** Accepted images. */
  count: number;
  /** The most common longer side of the images, in px. */
  nativeSize: number;
  /** Whether the images use transparency (an RGBA model is trained then). */
  transparency: boolean;
  /** Whether most images are pixel art (the Doctor's hard edges and few colours). */
  pixelArt: boolean;
}

export interface FolderDefaults {
  config: Partial<TrainConfig>;
  /** One short sentence per choice, in the user's words, under the config field it is about. */
  reasons: Partial<Record<keyof TrainConfig, string>>;
}

/** Below this many images a GAN's discriminator memorises them; the VAE still learns. */
export const GAN_MIN_IMAGES = 100;
/** Photos and drawings train at most at this size by default: larger costs 4× per doubling. */
const DEFAULT_MAX_SIZE = 64;
/** Pixel art trains at its own size up to this. */
const PIXEL_ART_MAX_SIZE = 128;

const roundTo8 = (n: number) => Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(n / 8) * 8));

export function defaultsFor(facts: FolderFacts): FolderDefaults {
  const reasons: FolderDefaults['reasons'] = {};
  const config: Partial<TrainConfig> = {};

  if (facts.count < GAN_MIN_IMAGES) {
    config.model = 'vae';
    reasons.model = `VAE: ${facts.count} images are too few for a GAN's discriminator (it wants ${GAN_MIN_IMAGES} or more)`;
  } else {
    config.model = 'gan';
    reasons.model = `GAN: ${facts.count} images are enough for its discriminator`;
  }

  if (facts.pixelArt && facts.nativeSize <= PIXEL_ART_MAX_SIZE) {
    config.size = roundTo8(facts.nativeSize);
    reasons.size = `${config.size} px: the pixel art's own size${config.size !== facts.nativeSize ? ` (${facts.nativeSize} px, to a multiple of 8)` : ''}`;
  } else if (facts.nativeSize >= DEFAULT_MAX_SIZE) {
    config.size = DEFAULT_MAX_SIZE;
    reasons.size = `${DEFAULT_MAX_SIZE} px: the images are ${facts.nativeSize} px; larger sizes train much more slowly`;
  } else {
    config.size = roundTo8(facts.nativeSize);
    reasons.size = `${config.size} px: the images' own size`;
  }

  // Wider layers cost time in proportion; past 128 px the narrower net keeps a step affordable.
  config.channels = config.size > 128 ? 8 : 16;
  config.batch = Math.max(1, Math.min(16, facts.count));

  if (facts.pixelArt) {
    config.augment = ['translation', 'cutout'];
    config.snap = 'on';
    reasons.augment = 'pixel art: no colour augmentation, which would teach colours the palette does not have';
    reasons.snap = 'pixel art: samples are snapped to the set’s colours';
  }
  if (facts.transparency) reasons.alpha = 'transparency is kept: the model draws RGBA';
  return { config, reasons };
}
