// What every model gives the one training loop: parameters, the phases of a step (each a loss
// over some of the parameters), which parameters get an exponential moving average, and how to draw.
import type { Rng } from '#shared/rng';
import type { TrainConfig } from './config';
import type { Params } from './params';
import { tf } from '../compute/tf';
import type { TileMode } from '#shared/recipe';

export interface Batch {
  /** Real images in [-1, 1], [B, S, S, 3], or [B, S, S, 4] premultiplied RGBA. */
  images: tf.Tensor4D;
  /** Caption bags [B, V] (see text.ts). */
  bags: tf.Tensor2D;
  /** Frame pairs (flow model): the frame that follows each image, [B, S, S, 3]. */
  next?: tf.Tensor4D;
  step: number;
}

export interface Phase {
  name: string;
  /** Names of the parameters this phase updates. */
  vars: string[];
  /** The scalar loss to minimise; called inside tf.tidy with a per-phase rng. */
  loss(batch: Batch, rng: Rng): tf.Scalar;
}

export interface Model {
  kind: TrainConfig['model'];
  params: Params;
  phases: Phase[];
  /** Parameters whose moving average is used for sampling (named `ema/<name>`). */
  averaged: string[];
  /** Draws images in [-1, 1] from noise z [B, zDim] and bags [B, V]; absent for the flow model, which draws from a frame. */
  generate?(p: Params, z: tf.Tensor2D, bags: tf.Tensor2D, tile?: TileMode): tf.Tensor4D;
}

/**
 * The generator's first grid side and its ×2 up-samplings for a training size: halve while the side
 * stays even and at least 4, so 32 → 4 and 3, 72 → 9 and 3, 24 → 6 and 2. The discriminator and
 * encoder go down the same way, back to that grid.
 */
export function sizePlan(size: number): { grid: number; ups: number } {
  let grid = size;
  let ups = 0;
  while (grid % 2 === 0 && grid / 2 >= 4) {
    grid /= 2;
    ups++;
  }
  return { grid, ups };
}

/** Channel widths from the first grid up to the output size: base × 2^k, capped at 256. */
export function channelPlan(size: number, base: number): number[] {
  const { ups } = sizePlan(size);
  return Array.from({ length: ups + 1 }, (_, i) => Math.min(256, base * 2 ** (ups - i)));
}
