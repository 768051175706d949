// Motion from a trained flow run, for the CLI and the app: animate a still with a motion prompt
// (each frame predicted from the one before), and in-between two frames with flow estimated both ways.
import type { Recipe } from '#shared/recipe';
import { type InputImage, loadInputImage } from '../dataset/input-image';
import { UserError } from '../errors';
import { OpenedRun, openRun } from './opened-run';
import type { TrainConfig } from '../ml/config';
import { estimateFlow, predictNext } from '../ml/flow';
import { toRgbBytes } from '../ml/image';
import type { Params } from '../ml/params';
import { conditionFor } from '../ml/sample';
import { tf } from '../compute/tf';
import { warp } from '../ml/warp';

const toTensor = (pixels: Uint8Array, size: number) =>
  tf.tidy(() => tf.sub(tf.div(tf.tensor4d(pixels, [1, size, size, 3], 'float32'), 127.5), 1) as tf.Tensor4D);

/**
 * Frames `steps` flow steps after `first` [1, S, S, 3], each predicted from the previous one.
 * Returns RGB bytes; rounding each frame to 8 bits between steps keeps the roll-out what a user would
 * get by feeding a saved frame back in.
 */
export async function rollout(p: Params, first: Uint8Array, size: number, bag: Float32Array, steps: number): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = [];
  let current = first;
  for (let t = 0; t < steps; t++) {
    const next = tf.tidy(() => predictNext(p, toTensor(current, size), tf.tensor2d(bag, [1, bag.length])).next);
    current = (await toRgbBytes(next))[0]!;
    next.dispose();
    frames.push(current);
  }
  return frames;
}

/**
 * `count` frames strictly between a and b. Flows both ways (f_ab: warp(b, f_ab) ≈ a, and f_ba), then for
 * each time t the flows from t back to each end (Jiang et al. 2018, "Super SloMo", eq. 4) warp both
 * frames, blended by distance in time.
 */
export async function inbetweenFrames(
  p: Params,
  a: Uint8Array,
  b: Uint8Array,
  size: number,
  vocabSize: number,
  count: number,
): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const [ta, tb] = [toTensor(a, size), toTensor(b, size)];
  const [fab, fba] = tf.tidy(() => [estimateFlow(p, tb, ta, vocabSize), estimateFlow(p, ta, tb, vocabSize)]);
  for (let i = 1; i <= count; i++) {
    const t = i / (count + 1);
    const frame = tf.tidy(() => {
      const fta = tf.add(tf.mul(fab, -(1 - t) * t), tf.mul(fba, t * t)) as tf.Tensor4D;
      const ftb = tf.add(tf.mul(fab, (1 - t) * (1 - t)), tf.mul(fba, -t * (1 - t))) as tf.Tensor4D;
      return tf.add(tf.mul(warp(ta, fta), 1 - t), tf.mul(warp(tb, ftb), t)) as tf.Tensor4D;
    });
    out.push((await toRgbBytes(frame))[0]!);
    frame.dispose();
  }
  tf.dispose([ta, tb, fab, fba]);
  return out;
}

export class MotionModel extends OpenedRun {
  /** `target`: a flow run folder (newest good checkpoint) or one of its checkpoint folders. */
  static async open(target: string, backend: string, warn?: (m: string) => void): Promise<MotionModel> {
    const notFlow = (cfg: TrainConfig, run: string) =>
      cfg.model === 'flow'
        ? undefined
        : `${run} is a ${cfg.model} run: animate and inbetween need a flow run (homegrown train <folder of sequences> --model flow)`;
    return new MotionModel(...(await openRun(target, backend, warn, notFlow)));
  }

  /** Reads an image file as a frame: resized and cropped (or padded) like the run's training frames. */
  readFrame(file: string): Promise<InputImage> {
    return loadInputImage(file, { size: this.cfg.size, fit: this.cfg.fit });
  }

  /** Words of the motion prompt that the model never saw. */
  unknownWords(prompt: string): string[] {
    return conditionFor(this.vocab, this.cfg, prompt).unknown;
  }

  /** `frames` frames: the first (as read), then each predicted from the one before. */
  async animate(first: InputImage, prompt: string, frames: number): Promise<Uint8Array[]> {
    if (frames < 2) throw new UserError('an animation needs at least 2 frames (--frames)');
    const { bag } = conditionFor(this.vocab, this.cfg, prompt);
    return [first.pixels, ...(await rollout(this.weights, first.pixels, this.cfg.size, bag, frames - 1))];
  }

  /** The frame after `current` under `prompt` (one roll-out step, so a caller can yield between frames). */
  async nextFrame(current: Uint8Array, prompt: string): Promise<Uint8Array> {
    return (await rollout(this.weights, current, this.cfg.size, conditionFor(this.vocab, this.cfg, prompt).bag, 1))[0]!;
  }

  /** a, then `count` in-between frames, then b. */
  async inbetween(a: InputImage, b: InputImage, count: number): Promise<Uint8Array[]> {
    if (count < 1) throw new UserError('ask for at least 1 in-between frame (--frames)');
    if (a.width !== b.width || a.height !== b.height) {
      throw new UserError(
        `the two frames differ in size (${a.width}×${a.height} and ${b.width}×${b.height}): in-betweens need two frames of one size`,
      );
    }
    return [
      a.pixels,
      ...(await inbetweenFrames(this.weights, a.pixels, b.pixels, this.cfg.size, this.vocab.tokens.length, count)),
      b.pixels,
    ];
  }

  /** The recipe of a motion output; `frame` is left for the per-frame copies to fill in. */
  recipe(fields: { prompt: string; source: string; toSource?: string; frames: number }): Recipe {
    return {
      prompt: fields.prompt,
      negative: '',
      seed: 0,
      ...this.provenance(),
      source: fields.source,
      ...(fields.toSource ? { toSource: fields.toSource } : {}),
      frames: fields.frames,
    };
  }

  dispose(): void {
    for (const v of Object.values(this.weights)) v.dispose();
  }
}
