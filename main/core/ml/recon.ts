// Reconstruction quality of autoencoder runs (ae, vae): a few training images are kept out of
// training, and at every checkpoint each is encoded under its own caption and decoded again; the
// mean PSNR and SSIM against the original go into the run's log.jsonl as {"step", "recon"} lines.
// RGBA runs are scored on both images composited over the checkerboard the sample sheets use.
import { Rng } from '#shared/rng';
import { overCheckerboard, premultiply, unpremultiply } from './alpha';
import type { TrainConfig } from './config';
import { drawImages } from './generator';
import { pixelsToTensor } from './image';
import { psnr, ssim } from './metrics';
import type { Params } from './params';
import { bagInto, imageAt, type TrainData } from './train';
import { tf } from '../compute/tf';
import { encodeMean } from './vae';

/** One image in 20 is held out, at most this many. */
export const MAX_HELD_OUT = 32;

export interface ReconScore {
  psnr: number;
  ssim: number;
  /** How many held-out images were scored. */
  images: number;
}

export const hasEncoder = (model: TrainConfig['model']) => model === 'ae' || model === 'vae';

/** The dataset paths to keep out of training: one in 20 (at most 32), chosen by seed; none below 20 images. */
export function pickHeldOut(model: TrainConfig['model'], paths: string[], seed: number): string[] {
  const n = hasEncoder(model) ? Math.min(MAX_HELD_OUT, Math.floor(paths.length / 20)) : 0;
  const order = paths.map((_, i) => i);
  const rng = new Rng(seed ^ 0x4e1d);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => paths[i]!);
}

/** Splits training data into the images to train on and the held-out ones (by index into `data`); both read through `data`. */
export function splitHeldOut(data: TrainData, heldOut: Set<number>): { train: TrainData; heldOut: TrainData } {
  const take = (keep: (i: number) => boolean): TrainData => {
    const idx = Uint32Array.from({ length: data.count }, (_, i) => i).filter(keep);
    return {
      ...data,
      images: { read: (k, into) => imageAt(data, idx[k]!, into) },
      bags: { write: (k, out, at) => bagInto(data, idx[k]!, out, at) },
      count: idx.length,
    };
  };
  return { train: take((i) => !heldOut.has(i)), heldOut: take((i) => heldOut.has(i)) };
}

/**
 * Mean PSNR and SSIM of decode(μ(x, caption), caption) against x over the images of `data`, with
 * `params` holding the encoder (`e/…`) and the decoder (`g/…`) that edits use.
 */
export async function reconstructionScore(params: Params, data: TrainData): Promise<ReconScore> {
  const rgba = data.channels === 4;
  let p = 0;
  let s = 0;
  for (let i = 0; i < data.count; i++) {
    const original = imageAt(data, i);
    const row = new Float32Array(data.vocabSize);
    bagInto(data, i, row);
    const x = tf.tidy(() => {
      const bag = tf.tensor2d(row, [1, data.vocabSize]);
      const out = drawImages(params, encodeMean(params, toInput(original, data.size, rgba), bag), bag);
      return rgba ? out : tf.clipByValue(tf.round(tf.mul(tf.add(out, 1), 127.5)), 0, 255); // as toRgbBytes
    });
    // Read back asynchronously: the webgpu backend cannot read synchronously in Node.
    const values = (await x.data()) as Float32Array;
    const recon = rgba ? unpremultiply(values) : Uint8Array.from(values);
    x.dispose();
    const shown = (img: Uint8Array) => (rgba ? overCheckerboard(img, data.size) : img);
    const a = { data: shown(original), width: data.size, height: data.size };
    const b = { data: shown(recon), width: data.size, height: data.size };
    // A perfect copy has infinite PSNR; cap it at 100 dB so means stay finite.
    p += Math.min(100, psnr(a, b));
    s += ssim(a, b);
  }
  return { psnr: p / data.count, ssim: s / data.count, images: data.count };
}

/** Dataset bytes → the encoder's input: RGB in [-1, 1], or straight RGBA premultiplied as in training. */
function toInput(pixels: Uint8Array, size: number, rgba: boolean): tf.Tensor4D {
  if (!rgba) return pixelsToTensor(pixels, size);
  const values = new Float32Array(pixels.length);
  premultiply(pixels, values);
  return tf.tensor4d(values, [1, size, size, 4]);
}
