// Copies of training images: a generation counts as a copy when its nearest training image is closer
// than the 5th percentile of the training images' own nearest-neighbour distances (each image against
// all the others), i.e. closer than all but the closest 5 % of real pairs.
import { type Neighbour, nearest } from './distances';
import type { Features } from './kid';

export const COPY_PERCENTILE = 0.05;
/** Training images whose own nearest neighbour is looked up for the threshold; evenly spread beyond this. */
const MAX_THRESHOLD_QUERIES = 500;

/** The q-quantile of `values` by linear interpolation between order statistics (numpy's default). */
export function quantile(values: number[], q: number): number {
  if (!values.length) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The copy threshold of a training set; null with fewer than two images. */
export function copyThreshold(train: Features): number | null {
  if (train.length < 2) return null;
  const step = Math.max(1, train.length / MAX_THRESHOLD_QUERIES);
  const queries = Array.from({ length: Math.min(train.length, MAX_THRESHOLD_QUERIES) }, (_, i) => Math.floor(i * step));
  return quantile(
    queries.map((i) => nearest(train[i]!, train, 1, i)[0]!.distance),
    COPY_PERCENTILE,
  );
}

/** Share of generations whose nearest training image is strictly closer than the threshold. */
export function copyRate(generated: Features, train: Features, threshold: number): number {
  if (!generated.length) return 0;
  return generated.filter((g) => nearest(g, train, 1)[0]!.distance < threshold).length / generated.length;
}

export interface Originality {
  neighbours: Neighbour[];
  threshold: number | null;
  /** The index of the nearest training image when it is under the threshold. */
  nearCopyOf: number | null;
}

export function originality(generated: Float32Array, train: Features, threshold: number | null, k: number): Originality {
  const neighbours = nearest(generated, train, k);
  const first = neighbours[0];
  return { neighbours, threshold, nearCopyOf: first && threshold !== null && first.distance < threshold ? first.index : null };
}
