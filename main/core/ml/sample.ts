// Drawing images from a trained model: prompt + negative prompt → condition bag, seed → noise.
// Each image is generated on its own from its own seed, so the same checkpoint, prompt, seed and
// backend always give the same pixels whatever the count requested.
import { promptToWeightedTokens } from '#shared/prompt/weighted-tokens';
import { Rng } from '#shared/rng';
import type { Vocabulary } from '#shared/vocabulary';
import { unpremultiply } from './alpha';
import type { TrainConfig } from './config';
import type { Model } from './model';
import type { Params } from './params';
import { promptBag } from './text';
import { tf } from '../compute/tf';

export interface SampleRequest {
  prompt: string;
  negative?: string;
  seed: number;
}

export function noiseFor(seed: number, zDim: number): Float32Array {
  return new Rng(seed).normals(zDim);
}

/** The condition bag of a prompt and its negative, with the words the model does not know. */
export function conditionFor(vocab: Vocabulary, cfg: TrainConfig, prompt: string, negative = '') {
  return promptBag(vocab, promptToWeightedTokens(prompt), promptToWeightedTokens(negative), cfg.negativeScale);
}

/**
 * One image's bytes: RGB, or straight RGBA from an RGBA model. Read back asynchronously, as the webgpu
 * backend must in Node; the caller's event loop runs while the device draws.
 */
export async function sampleOne(
  draw: NonNullable<Model['generate']>,
  p: Params,
  vocab: Vocabulary,
  cfg: TrainConfig,
  req: SampleRequest,
): Promise<{ pixels: Uint8Array; unknown: string[] }> {
  const { bag, unknown } = conditionFor(vocab, cfg, req.prompt, req.negative);
  const x = tf.tidy(() => {
    const out = draw(p, tf.tensor2d(noiseFor(req.seed, cfg.zDim), [1, cfg.zDim]), tf.tensor2d(bag, [1, bag.length]));
    // The same rounding as toRgbBytes, on the device.
    return out.shape[3] === 4 ? out : tf.clipByValue(tf.round(tf.mul(tf.add(out, 1), 127.5)), 0, 255);
  });
  const data = (await x.data()) as Float32Array;
  const rgba = x.shape[3] === 4;
  x.dispose();
  return { pixels: rgba ? unpremultiply(data) : Uint8Array.from(data), unknown };
}
