// A loaded checkpoint ready to draw from: the EMA generator, vocabulary and config, plus the recipe
// that every image it makes carries.
import type { Recipe } from '#shared/recipe';
import { embedRecipe } from '../media/png-meta';
import { imageChannels } from '../ml/alpha';
import { OpenedRun, openRun } from './opened-run';
import { tf } from '../compute/tf';
import { drawImages } from '../ml/generator';
import type { Params } from '../ml/params';
import { encodePng } from '../media/png';
import { conditionFor, type SampleRequest, sampleOne } from '../ml/sample';
import type { TileMode } from '#shared/recipe';
import { snapSample } from './snap';

export interface Sample {
  pixels: Uint8Array;
  unknown: string[];
  recipe: Recipe;
}

/** Why a flow run cannot sample, in the command line's words. */
export const FLOW_DRAWS_MOTION = 'a flow run draws motion from a frame: use `homegrown animate` or `homegrown inbetween`';

export class Sampler extends OpenedRun {
  /** `target`: a run folder (newest good checkpoint) or a checkpoint folder. */
  static async open(target: string, backend: string, warn?: (m: string) => void): Promise<Sampler> {
    return new Sampler(...(await openRun(target, backend, warn, (cfg) => (cfg.model === 'flow' ? FLOW_DRAWS_MOTION : undefined))));
  }

  /** Words of the prompt and negative prompt that the model never saw. */
  unknownWords(prompt: string, negative = ''): string[] {
    return conditionFor(this.vocab, this.cfg, prompt, negative).unknown;
  }

  /** `tile`: draw a seamless tile, wrapping around along these axes. */
  async sample(req: SampleRequest, tile?: TileMode): Promise<Sample> {
    const draw = (p: Params, z: tf.Tensor2D, bags: tf.Tensor2D) => drawImages(p, z, bags, tile);
    const { pixels, unknown } = await sampleOne(draw, this.weights, this.vocab, this.cfg, req);
    return { pixels: snapSample(pixels, this.cfg), unknown, recipe: this.recipe(req, tile) };
  }

  /** The recipe of an image drawn from this checkpoint. */
  recipe(req: SampleRequest, tile?: TileMode): Recipe {
    return {
      prompt: req.prompt,
      negative: req.negative ?? '',
      seed: req.seed,
      ...this.provenance(),
      ...(tile ? { tile } : {}),
    };
  }

  /** PNG bytes with the recipe embedded; identical for identical requests. */
  async png(s: Sample): Promise<Buffer> {
    return embedRecipe(await encodePng(s.pixels, this.cfg.size, this.cfg.size, 1, imageChannels(this.cfg)), s.recipe);
  }

  dispose(): void {
    for (const v of Object.values(this.weights)) v.dispose();
  }
}
