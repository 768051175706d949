// Extra GAN loss terms, each off at weight 0 (config.ts: r1, modeSeeking).
import type { Rng } from '#shared/rng';
import { tf } from '../compute/tf';

/** The finite-difference step of the R1 estimate, in image units ([-1, 1]). */
export const R1_STEP = 0.01;

/** x + ε·n with n ~ N(0, I): the discriminator's change from x to these estimates its gradient (r1Estimate). */
export function nudge(x: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  return tf.add(x, tf.mul(tf.tensor4d(rng.normals(x.size), x.shape), R1_STEP));
}

/**
 * R1 (Mescheder et al. 2018), the squared norm of D's gradient at real images, without double
 * backprop: for n ~ N(0, I), E[(D(x + εn) − D(x))²] / ε² → ‖∇D(x)‖² as ε → 0. Mean over the batch.
 */
export function r1Estimate(onReal: tf.Tensor1D, onNudged: tf.Tensor1D): tf.Scalar {
  return tf.div(tf.mean(tf.square(tf.sub(onNudged, onReal))), R1_STEP ** 2);
}

/**
 * Mode seeking (Mao et al. 2019): images x [2B, …] drawn from noise z [2B, Z], where image i and
 * i + B share a prompt. The term is large when two seeds give nearly the same image.
 */
export function modeSeeking(x: tf.Tensor4D, z: tf.Tensor2D): tf.Scalar {
  const [x1, x2] = tf.split(x, 2);
  const [z1, z2] = tf.split(z, 2);
  const ratio = tf.div(tf.mean(tf.abs(tf.sub(x1!, x2!))), tf.mean(tf.abs(tf.sub(z1!, z2!))));
  return tf.div(1, tf.add(ratio, 1e-5));
}
