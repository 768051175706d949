// DiffAugment (Zhao et al. 2020): the same random colour, translation and cutout applied to real and
// fake images before the discriminator, differentiably, so a GAN can learn from 50–2000 images.
// Random parameters come from our seeded RNG on the host; translation is a product with one-hot
// shift matrices (batched matMul has gradients on every backend, unlike per-image gather).
import type { Rng } from '../../../shared/rng';
import { colorPremultiplied } from './alpha';
import type { TrainConfig } from './config';
import { tf } from './tf';

type Policy = TrainConfig['augment'];

/** Shift matrices [B, n, n]: row i picks source row i - shift (zero outside). */
function shiftMatrices(shifts: number[], n: number): tf.Tensor3D {
  const m = new Float32Array(shifts.length * n * n);
  shifts.forEach((s, b) => {
    for (let i = 0; i < n; i++) {
      const j = i - s;
      if (j >= 0 && j < n) m[b * n * n + i * n + j] = 1;
    }
  });
  return tf.tensor3d(m, [shifts.length, n, n]);
}

function translate(x: tf.Tensor4D, rng: Rng, ratio = 0.125): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const max = Math.round(h * ratio);
  const dy = Array.from({ length: b }, () => rng.int(2 * max + 1) - max);
  const dx = Array.from({ length: b }, () => rng.int(2 * max + 1) - max);
  const rows = tf.matMul(shiftMatrices(dy, h), tf.reshape(x, [b, h, w * c]));
  const t = tf.reshape(tf.transpose(tf.reshape(rows, [b, h, w, c]), [0, 2, 1, 3]), [b, w, h * c]);
  const cols = tf.matMul(shiftMatrices(dx, w), t);
  return tf.transpose(tf.reshape(cols, [b, w, h, c]), [0, 2, 1, 3]);
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

function color(x: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const b = x.shape[0];
  const per = (f: () => number) => tf.tensor4d(Float32Array.from({ length: b }, f), [b, 1, 1, 1]);
  if (x.shape[3] === 4) return colorPremultiplied(x, per, () => rng.float());
  // Images are in [-1, 1]: DiffAugment's ±0.5 brightness in [0, 1] units is ±1 here.
  let y = tf.add(x, per(() => rng.float() - 0.5));
  const grey = tf.mean(y, 3, true);
  y = tf.add(tf.mul(tf.sub(y, grey), per(() => rng.float() * 2)), grey);
  const mean = tf.mean(y, [1, 2, 3], true);
  return tf.add(tf.mul(tf.sub(y, mean), per(() => rng.float() + 0.5)), mean);
}

/** Applies the policy; call inside tf.tidy. Same rng state + input → same output. */
export function diffAugment(x: tf.Tensor4D, policy: Policy, rng: Rng): tf.Tensor4D {
  let y = x;
  if (policy.includes('color')) y = color(y, rng);
  const spatial = (z: tf.Tensor4D) => {
    if (policy.includes('translation')) z = translate(z, rng);
    if (policy.includes('cutout')) z = cutout(z, rng);
    return z;
  };
  // Both fill with 0: grey for RGB as before; shifted by 1 so that RGBA fills transparent (all -1).
  return y.shape[3] === 4 ? tf.sub(spatial(tf.add(y, 1)), 1) : spatial(y);
}
