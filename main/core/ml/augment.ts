// DiffAugment (Zhao et al. 2020): the same random colour, translation and cutout applied to real and
// fake images before the discriminator, differentiably, so a GAN can learn from 50–2000 images.
// Random parameters come from our seeded RNG on the host; translation copies rows on the host and has
// the opposite shift as its gradient (wasm's batched matMul with one-hot shift matrices was slow).
import type { Rng } from '#shared/rng';
import { colorPremultiplied } from './alpha';
import type { TrainConfig } from './config';
import { tf } from '../compute/tf';

type Policy = TrainConfig['augment'];

/**
 * Moves image n by (dy[n], dx[n]) pixels, filling with 0, as row copies on the host: tfjs ops would
 * need a slice per image, and wasm's Slice copies its whole input out of wasm memory on every call.
 * Exact, and its adjoint is the opposite shift.
 */
function shiftImages(x: tf.Tensor4D, dy: number[], dx: number[]): tf.Tensor4D {
  if (tf.getBackend() === 'webgpu') return shiftOnDevice(x, dy, dx);
  const [b, h, w, c] = x.shape;
  const src = x.dataSync();
  const out = new Float32Array(src.length);
  for (let n = 0; n < b; n++) {
    const [x0, x1] = [Math.max(0, dx[n]!), Math.min(w, w + dx[n]!)];
    for (let y = Math.max(0, dy[n]!); y < Math.min(h, h + dy[n]!); y++) {
      const from = ((n * h + y - dy[n]!) * w + x0 - dx[n]!) * c;
      out.set(src.subarray(from, from + (x1 - x0) * c), ((n * h + y) * w + x0) * c);
    }
  }
  return tf.tensor4d(out, x.shape);
}

/** The same shift as tfjs ops, for the webgpu backend, which cannot read tensors back synchronously. */
function shiftOnDevice(x: tf.Tensor4D, dy: number[], dx: number[]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const m = Math.max(...dy.map(Math.abs), ...dx.map(Math.abs));
  const padded = tf.pad(x, [
    [0, 0],
    [m, m],
    [m, m],
    [0, 0],
  ]);
  return tf.concat(dy.map((y, n) => tf.slice(padded, [n, m - y, m - dx[n]!, 0], [1, h, w, -1])));
}

function translate(x: tf.Tensor4D, rng: Rng, ratio = 0.125): tf.Tensor4D {
  const [b, h] = x.shape;
  const max = Math.round(h * ratio);
  const dy = Array.from({ length: b }, () => rng.int(2 * max + 1) - max);
  const dx = Array.from({ length: b }, () => rng.int(2 * max + 1) - max);
  const shift = tf.customGrad((t) => ({
    value: shiftImages(t as tf.Tensor4D, dy, dx),
    gradFunc: (g) =>
      shiftImages(
        g as tf.Tensor4D,
        dy.map((v) => -v),
        dx.map((v) => -v),
      ),
  }));
  return shift(x) as tf.Tensor4D;
}

function cutout(x: tf.Tensor4D, rng: Rng, ratio = 0.5): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const ch = Math.round(h * ratio);
  const cw = Math.round(w * ratio);
  const mask = new Float32Array(b * h * w).fill(1);
  for (let n = 0; n < b; n++) {
    const cy = rng.int(h + 1 - (ch % 2));
    const cx = rng.int(w + 1 - (cw % 2));
    for (let y = Math.max(0, cy - ch / 2); y < Math.min(h, cy + ch / 2); y++)
      for (let x0 = Math.max(0, cx - cw / 2); x0 < Math.min(w, cx + cw / 2); x0++) mask[(n * h + y) * w + x0] = 0;
  }
  return tf.mul(x, tf.tensor4d(mask, [b, h, w, 1]));
}

/**
 * DiffAugment's colour: brightness b, then saturation s, then contrast c per image. All three are affine,
 * so with g the pixel's channel mean and m the image's mean (which saturation leaves unchanged),
 *   contrast(saturation(x + b)) = c·s·x + (c − c·s)·g + (1 − c)·m + b,
 * five passes over the images each way instead of about ten (tested against the steps).
 */
function color(x: tf.Tensor4D, rng: Rng, chance: number): tf.Tensor4D {
  const b = x.shape[0];
  // At chance 1 no draw is spent on the choice, so runs from before it train as they did.
  const on = chance < 1 ? Array.from({ length: b }, () => rng.float() < chance) : null;
  const per = (f: () => number, neutral: number) =>
    tf.tensor4d(
      Float32Array.from({ length: b }, (_, i) => {
        const v = f();
        return on && !on[i] ? neutral : v;
      }),
      [b, 1, 1, 1],
    );
  if (x.shape[3] === 4) return colorPremultiplied(x, per, () => rng.float());
  // Images are in [-1, 1]: DiffAugment's ±0.5 brightness in [0, 1] units is ±1 here.
  const [bright, sat, contrast] = [per(() => rng.float() - 0.5, 0), per(() => rng.float() * 2, 1), per(() => rng.float() + 0.5, 1)];
  const cs = tf.mul(contrast, sat);
  const grey = tf.mul(tf.mean(x, 3, true), tf.sub(contrast, cs));
  const offset = tf.add(tf.mul(tf.mean(x, [1, 2, 3], true), tf.sub(1, contrast)), bright);
  return tf.add(tf.add(tf.mul(x, cs), grey), offset);
}

/**
 * Applies the policy; call inside tf.tidy. Same rng state + input → same output. `colorChance`: the
 * share of images that get the colour op; the rest keep their colours, so the discriminator still
 * sees the set's true brightness and saturation (StyleGAN2-ADA: below 1 the op does not leak).
 */
export function diffAugment(x: tf.Tensor4D, policy: Policy, rng: Rng, colorChance = 1): tf.Tensor4D {
  let y = x;
  if (policy.includes('color')) y = color(y, rng, colorChance);
  const spatial = (z: tf.Tensor4D) => {
    if (policy.includes('translation')) z = translate(z, rng);
    if (policy.includes('cutout')) z = cutout(z, rng);
    return z;
  };
  // Both fill with 0: grey for RGB as before; shifted by 1 so that RGBA fills transparent (all -1).
  return y.shape[3] === 4 ? tf.sub(spatial(tf.add(y, 1)), 1) : spatial(y);
}
