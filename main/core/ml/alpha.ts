// RGBA models: alpha is a fourth image channel. Inside the network colour is premultiplied (rgb·a),
// so a transparent pixel is one value (all channels -1) whatever colour it was stored with, and
// blurring or shifting never bleeds hidden colour; PNGs get straight (un-premultiplied) RGBA back.
import type { TrainConfig } from './config';
import { tf } from '../compute/tf';

/** Image channels of a model: 4 once training resolved `alpha` to 'on' (older runs have no field: RGB). */
export function imageChannels(cfg: Partial<Pick<TrainConfig, 'alpha'>>): 3 | 4 {
  return cfg.alpha === 'on' ? 4 : 3;
}

/** Straight RGBA bytes → premultiplied values in [-1, 1], written to `out` from `at`. */
export function premultiply(rgba: Uint8Array, out: Float32Array, at = 0): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3]! / 255;
    for (let c = 0; c < 3; c++) out[at + i + c] = (rgba[i + c]! / 255) * a * 2 - 1;
    out[at + i + 3] = a * 2 - 1;
  }
}

/** Premultiplied values in [-1, 1] → straight RGBA bytes; colour is clamped to at most alpha. */
export function unpremultiply(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length);
  const unit = (v: number) => Math.min(1, Math.max(0, (v + 1) / 2));
  for (let i = 0; i < x.length; i += 4) {
    const a = unit(x[i + 3]!);
    out[i + 3] = Math.round(a * 255);
    for (let c = 0; c < 3; c++) out[i + c] = a > 0 ? Math.round((Math.min(a, unit(x[i + c]!)) / a) * 255) : 0;
  }
  return out;
}

/** [B, S, S, 4] premultiplied in [-1, 1] → one straight RGBA byte array per image. */
export async function toRgbaBytes(x: tf.Tensor4D): Promise<Uint8Array[]> {
  const [b, h, w] = x.shape;
  const px = h * w * 4;
  const data = (await x.data()) as Float32Array;
  return Array.from({ length: b }, (_, i) => unpremultiply(data.subarray(i * px, (i + 1) * px)));
}

/** Straight RGBA composited over an 8 px grey checkerboard → RGB, so sample sheets show transparency. */
export function overCheckerboard(rgba: Uint8Array, size: number, cell = 8): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const bg = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 ? 204 : 255;
      const a = rgba[i * 4 + 3]! / 255;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(rgba[i * 4 + c]! * a + bg * (1 - a));
    }
  return out;
}

/**
 * DiffAugment's colour ops for premultiplied RGBA in [-1, 1]: brightness, saturation and contrast act on
 * colour only, scaled by alpha so transparent pixels stay transparent; alpha passes through unchanged.
 * `per` gives one random factor per image (or `neutral` for an image left as it is), drawn in the same
 * order as the RGB ops draw theirs.
 */
export function colorPremultiplied(x: tf.Tensor4D, per: (f: () => number, neutral: number) => tf.Tensor4D, rnd: () => number): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const unit = tf.div(tf.add(x, 1), 2);
  const rgb = tf.slice(unit, [0, 0, 0, 0], [b, h, w, 3]);
  const a = tf.slice(unit, [0, 0, 0, 3], [b, h, w, 1]);
  // ±0.5 brightness in [0, 1] units, as in the RGB version, times alpha.
  let y = tf.add(
    rgb,
    tf.mul(
      a,
      per(() => rnd() - 0.5, 0),
    ),
  );
  const grey = tf.mean(y, 3, true);
  y = tf.add(
    tf.mul(
      tf.sub(y, grey),
      per(() => rnd() * 2, 1),
    ),
    grey,
  );
  // Contrast around the mean colour of the covered area, pulled towards it in proportion to alpha.
  const mean = tf.div(tf.sum(y, [1, 2, 3], true), tf.add(tf.mul(tf.sum(a, [1, 2, 3], true), 3), 1e-6));
  y = tf.add(
    tf.mul(
      tf.sub(y, tf.mul(mean, a)),
      per(() => rnd() + 0.5, 1),
    ),
    tf.mul(mean, a),
  );
  return tf.sub(tf.mul(tf.concat([y, a], 3), 2), 1);
}
