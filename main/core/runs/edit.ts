// Image-to-image editing with an autoencoder run (ae or vae): encode the input image under the prompt
// that describes it, then decode after moving part of the way towards a new prompt and a fresh seed.
//
// `strength` t ∈ [0, 1] interpolates both inputs of the decoder at once:
//   latent    z = slerp(μ(input, source prompt), noise(seed), t)
//   condition c = (1 − t)·bag(source prompt) + t·bag(new prompt)     (bag: the prompt's word weights)
// so t = 0 is the reconstruction of the input, exactly, and t = 1 is exactly what
// `homegrown sample <run> "<new prompt>" --seed <seed>` draws, whatever the input. Between, the image
// keeps what the code captured of the input (layout, size, stroke) while the words move it to the new prompt.
import type { Recipe } from '#shared/recipe';
import type { Vocabulary } from '#shared/vocabulary';
import type { InputImage } from '../dataset/input-image';
import { UserError } from '../errors';
import type { TrainConfig } from '../ml/config';
import { drawImages } from '../ml/generator';
import { pixelsToTensor, toRgbBytes } from '../ml/image';
import { lerp, slerp } from '../ml/interpolate';
import { psnr } from '../ml/metrics';
import type { Params } from '../ml/params';
import { conditionFor, noiseFor } from '../ml/sample';
import { type Sample, Sampler } from './sampler';
import { tf } from '../compute/tf';
import { encodeMean } from '../ml/vae';

export interface EditRequest {
  prompt: string;
  negative?: string;
  /** What the input shows, in the run's words; its condition is the starting point. */
  sourcePrompt: string;
  strength: number;
  seed: number;
}

/** An autoencoder's two halves: the encoder `e/…` and the decoder `g/…`. */
export interface AutoencoderWeights {
  cfg: TrainConfig;
  vocab: Vocabulary;
  params: Params;
}

/** How many of the most common training captions `guessSourcePrompt` tries. */
export const MAX_CAPTION_GUESSES = 64;

/**
 * The training caption under which the model reconstructs the input best (highest PSNR): a
 * description of the input in the run's own words, for inputs that come without one.
 */
export async function guessSourcePrompt(w: AutoencoderWeights, input: Uint8Array): Promise<string> {
  const counts = new Map<string, number>();
  for (const tokens of w.vocab.captions) {
    // The caption's words as a prompt: the same condition the model saw for it in training.
    const caption = tokens.join(', ');
    if (caption) counts.set(caption, (counts.get(caption) ?? 0) + 1);
  }
  const candidates = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_CAPTION_GUESSES)
    .map(([c]) => c);
  if (!candidates.length) throw new UserError('the run has no training captions to describe the input with: pass --source-prompt');
  const image = { data: input, width: w.cfg.size, height: w.cfg.size };
  const score = async (prompt: string) =>
    psnr(image, { ...image, data: (await editPixels(w, input, { prompt, sourcePrompt: prompt, strength: 0, seed: 0 })).pixels });
  let best = { c: '', p: -Infinity };
  for (const c of candidates) {
    const p = await score(c);
    if (p > best.p) best = { c, p };
  }
  return best.c;
}

/** The edit as pure computation over loaded weights: RGB bytes of the result, and unknown words. */
export async function editPixels(
  w: AutoencoderWeights,
  input: Uint8Array,
  req: EditRequest,
): Promise<{ pixels: Uint8Array; unknown: string[] }> {
  if (!(req.strength >= 0 && req.strength <= 1)) throw new UserError(`strength must be from 0 to 1, got ${req.strength}`);
  const { cfg, vocab, params } = w;
  const source = conditionFor(vocab, cfg, req.sourcePrompt);
  const target = conditionFor(vocab, cfg, req.prompt, req.negative);
  const v = vocab.tokens.length;
  const code = tf.tidy(() => encodeMean(params, pixelsToTensor(input, cfg.size), tf.tensor2d(source.bag, [1, v])));
  const mu = (await code.data()) as Float32Array;
  code.dispose();
  const z = slerp(mu, noiseFor(req.seed, cfg.zDim), req.strength);
  const bag = lerp(source.bag, target.bag, req.strength);
  const x = tf.tidy(() => drawImages(params, tf.tensor2d(z, [1, cfg.zDim]), tf.tensor2d(bag, [1, v])));
  const [pixels] = await toRgbBytes(x);
  x.dispose();
  return { pixels: pixels!, unknown: [...new Set([...source.unknown, ...target.unknown])] };
}

/**
 * A loaded ae or vae checkpoint ready to edit. The decoder is the moving-average generator that
 * sampling uses (so strength 1 equals a sample); the encoder is the trained one (it has no average).
 */
export class ImageEditor {
  private constructor(
    readonly sampler: Sampler,
    private readonly encoder: Params,
  ) {}

  static async open(target: string, backend: string, warn?: (m: string) => void): Promise<ImageEditor> {
    const sampler = await Sampler.open(target, backend, warn);
    const { model } = sampler.cfg;
    if (model !== 'ae' && model !== 'vae') {
      sampler.dispose();
      throw new UserError(`${sampler.runName} is a ${model} run, which has no encoder: edit needs a run trained with --model ae or vae`);
    }
    const encoder: Params = {};
    for (const [name, t] of Object.entries(sampler.ckpt.tensors)) {
      if (name.startsWith('e/')) encoder[name] = tf.variable(tf.tensor(t.values, t.shape), false);
    }
    return new ImageEditor(sampler, encoder);
  }

  get weights(): AutoencoderWeights {
    return { cfg: this.sampler.cfg, vocab: this.sampler.vocab, params: { ...this.encoder, ...this.sampler.weights } };
  }

  /** See guessSourcePrompt. */
  describe(input: InputImage): Promise<string> {
    return guessSourcePrompt(this.weights, input.pixels);
  }

  async edit(input: InputImage, req: EditRequest): Promise<Sample> {
    const { pixels, unknown } = await editPixels(this.weights, input.pixels, req);
    const recipe: Recipe = { ...this.sampler.recipe(req), source: input.sha256, sourcePrompt: req.sourcePrompt, strength: req.strength };
    return { pixels, unknown, recipe };
  }

  png(s: Sample): Promise<Buffer> {
    return this.sampler.png(s);
  }

  dispose(): void {
    this.sampler.dispose();
    for (const v of Object.values(this.encoder)) v.dispose();
  }
}
