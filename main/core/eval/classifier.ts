// The eval classifier: a small conv net trained with the engine itself on the folder's captions (the
// offline stand-in for an Inception network). Its pooled last-layer activations are the feature space
// KID and diversity are measured in. Input: 32 × 32 RGB over white in [-1, 1].
import { Rng } from '#shared/rng';
import { tf } from '../compute/tf';
import { convLrelu, dense } from '../ml/layers';
import { adamApply, adamSlots } from '../ml/optim';
import { disposeParams, ParamBuilder, type Params } from '../ml/params';

export const CLASSIFIER_SIDE = 32;
const WIDTHS = [16, 32, 64, 64];
const MAX_SHIFT = 2; // pixels of random translation while training

export interface TrainClassifierOptions {
  steps: number;
  batch: number;
  lr: number;
  seed: number;
}

export const CLASSIFIER_DEFAULTS: TrainClassifierOptions = { steps: 400, batch: 32, lr: 2e-3, seed: 0 };

export class Classifier {
  private constructor(
    private readonly params: Params,
    readonly classes: number,
  ) {}

  /**
   * Trains on `images` (each CLASSIFIER_SIDE² RGB floats in [0, 1], see pixels.resample) with class
   * `labels`, mini-batches drawn by seed, each image randomly flipped and shifted.
   */
  static train(images: Float32Array[], labels: number[], classes: number, o: TrainClassifierOptions = CLASSIFIER_DEFAULTS): Classifier {
    const rng = new Rng(o.seed);
    const b = new ParamBuilder(rng);
    let inC = 3;
    WIDTHS.forEach((w, i) => {
      b.conv(`c/conv${i}`, 3, inC, w);
      inC = w;
    });
    b.dense('c/out', inC, classes, 1);
    const params = b.params;
    const slots = adamSlots(params);
    const px = CLASSIFIER_SIDE * CLASSIFIER_SIDE * 3;
    for (let t = 1; t <= o.steps; t++) {
      const batch = new Float32Array(o.batch * px);
      const onehot = new Float32Array(o.batch * classes);
      for (let k = 0; k < o.batch; k++) {
        const i = rng.int(images.length);
        augment(images[i]!, batch, k * px, rng);
        onehot[k * classes + labels[i]!] = 1;
      }
      const vars = Object.values(params);
      const { grads, value } = tf.variableGrads(
        () =>
          tf.tidy(() => {
            const x = tf.tensor4d(batch, [o.batch, CLASSIFIER_SIDE, CLASSIFIER_SIDE, 3]);
            return tf.losses.softmaxCrossEntropy(tf.tensor2d(onehot, [o.batch, classes]), forward(params, x).logits) as tf.Scalar;
          }),
        vars,
      );
      // Gradients come keyed by tfjs's variable names; Adam's slots are keyed by ours.
      const named = Object.fromEntries(Object.keys(params).map((n, i) => [n, grads[vars[i]!.name]!]));
      adamApply(params, named, slots, { lr: o.lr, beta1: 0.9, beta2: 0.999 }, t);
      value.dispose();
      tf.dispose(Object.values(grads));
    }
    disposeParams(slots);
    return new Classifier(params, classes);
  }

  /** Pooled features and the predicted class of each image (CLASSIFIER_SIDE² RGB floats in [0, 1]). */
  run(images: Float32Array[]): { features: Float32Array[]; predicted: number[] } {
    const px = CLASSIFIER_SIDE * CLASSIFIER_SIDE * 3;
    const features: Float32Array[] = [];
    const predicted: number[] = [];
    for (let from = 0; from < images.length; from += 64) {
      const chunk = images.slice(from, from + 64);
      const batch = new Float32Array(chunk.length * px);
      chunk.forEach((img, k) =>
        batch.set(
          img.map((v) => v * 2 - 1),
          k * px,
        ),
      );
      const [f, p] = tf.tidy(() => {
        const out = forward(this.params, tf.tensor4d(batch, [chunk.length, CLASSIFIER_SIDE, CLASSIFIER_SIDE, 3]));
        return [out.features, tf.argMax(out.logits, 1)];
      });
      const fv = f.dataSync() as Float32Array;
      const dim = f.shape[1]!;
      for (let k = 0; k < chunk.length; k++) features.push(fv.slice(k * dim, (k + 1) * dim));
      predicted.push(...(p.dataSync() as Int32Array));
      tf.dispose([f, p]);
    }
    return { features, predicted };
  }

  dispose(): void {
    disposeParams(this.params);
  }
}

function forward(p: Params, x: tf.Tensor4D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
  let h = x;
  WIDTHS.forEach((_, i) => {
    h = convLrelu(p, `c/conv${i}`, h, i === 0 ? 1 : 2);
  });
  const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
  return { features, logits: dense(p, 'c/out', features) };
}

/** Writes `img` into `out` at `at` in [-1, 1], mirrored half the time and shifted (edges repeated). */
function augment(img: Float32Array, out: Float32Array, at: number, rng: Rng): void {
  const s = CLASSIFIER_SIDE;
  const flip = rng.float() < 0.5;
  const dx = rng.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
  const dy = rng.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
  const clamp = (v: number) => Math.min(s - 1, Math.max(0, v));
  for (let y = 0; y < s; y++) {
    const sy = clamp(y + dy);
    for (let x = 0; x < s; x++) {
      const sx = clamp((flip ? s - 1 - x : x) + dx);
      for (let c = 0; c < 3; c++) out[at + (y * s + x) * 3 + c] = img[(sy * s + sx) * 3 + c]! * 2 - 1;
    }
  }
}
