// Latent walks and prompt blends: frames that move from one prompt and seed to another. Frame i of n
// sits at t = i / (n − 1); its condition is the straight blend of the two prompts' bags (so the
// weighted-mean word embedding moves linearly) and its noise the spherical interpolation (slerp) of
// the two seeds' noise. Works for every model that draws from noise: gan, vae, ae.
import type { Recipe } from '#shared/recipe';
import type { Vocabulary } from '#shared/vocabulary';
import { UserError } from '../errors';
import type { FrameSet } from '../media/animation';
import type { TrainConfig } from '../ml/config';
import { drawImages } from '../ml/generator';
import { toRgbBytes } from '../ml/image';
import { lerp, slerp } from '../ml/interpolate';
import type { Params } from '../ml/params';
import { conditionFor, noiseFor } from '../ml/sample';
import type { Sampler } from './sampler';
import { tf } from '../compute/tf';

export interface WalkRequest {
  from: string;
  to: string;
  negative?: string;
  frames: number;
  /** Seeds of the first and the last frame; equal seeds make a pure prompt blend. */
  seeds: [number, number];
}

export const MAX_WALK_FRAMES = 256;

/** The walk as pure computation over generator weights: one RGB byte array per frame, and unknown words. */
export async function walkPixels(
  p: Params,
  vocab: Vocabulary,
  cfg: TrainConfig,
  req: WalkRequest,
): Promise<{ frames: Uint8Array[]; unknown: string[] }> {
  if (!Number.isInteger(req.frames) || req.frames < 2 || req.frames > MAX_WALK_FRAMES) {
    throw new UserError(`a walk needs 2 to ${MAX_WALK_FRAMES} frames, got ${req.frames}`);
  }
  const ends = walkEnds(vocab, cfg, req);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < req.frames; i++) frames.push(await walkFrame(p, cfg, ends, i / (req.frames - 1)));
  return { frames, unknown: [...new Set([...ends.a.unknown, ...ends.b.unknown])] };
}

/** The conditions and noise of a walk's two ends. */
export function walkEnds(vocab: Vocabulary, cfg: TrainConfig, req: WalkRequest) {
  const a = conditionFor(vocab, cfg, req.from, req.negative);
  const b = conditionFor(vocab, cfg, req.to, req.negative);
  const [za, zb] = req.seeds.map((s) => noiseFor(s, cfg.zDim)) as [Float32Array, Float32Array];
  return { a, b, za, zb };
}

/** The frame at t ∈ [0, 1] of the walk between `ends`, as RGB bytes (one at a time, so a caller can yield between frames). */
export async function walkFrame(p: Params, cfg: TrainConfig, ends: ReturnType<typeof walkEnds>, t: number): Promise<Uint8Array> {
  const { a, b, za, zb } = ends;
  const x = tf.tidy(() =>
    drawImages(p, tf.tensor2d(slerp(za, zb, t), [1, cfg.zDim]), tf.tensor2d(lerp(a.bag, b.bag, t), [1, a.bag.length])),
  );
  const [pixels] = await toRgbBytes(x);
  x.dispose();
  return pixels!;
}

export interface Walk {
  set: FrameSet;
  unknown: string[];
  /** The whole walk's recipe: starts at prompt/seed, ends at toPrompt/toSeed. */
  recipe: Recipe;
  /** Each frame's recipe: the walk's with its frame number. */
  frameRecipes: Recipe[];
}

export async function walk(sampler: Sampler, req: WalkRequest): Promise<Walk> {
  const { frames, unknown } = await walkPixels(sampler.weights, sampler.vocab, sampler.cfg, req);
  const recipe = walkRecipe(sampler, req);
  return {
    set: { frames, width: sampler.cfg.size, height: sampler.cfg.size },
    unknown,
    recipe,
    frameRecipes: frames.map((_, frame) => ({ ...recipe, frame })),
  };
}

/** The whole walk's recipe: starts at prompt/seed, ends at toPrompt/toSeed. */
export function walkRecipe(sampler: Sampler, req: WalkRequest): Recipe {
  return {
    ...sampler.recipe({ prompt: req.from, negative: req.negative, seed: req.seeds[0] }),
    toPrompt: req.to,
    toSeed: req.seeds[1],
    frames: req.frames,
  };
}
