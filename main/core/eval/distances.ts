// Euclidean distances between feature vectors: nearest neighbours and the mean pairwise distance that
// diversity compares.
import type { Features } from './kid';

export function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Mean distance over all distinct pairs; null with fewer than two vectors. */
export function meanPairwiseDistance(x: Features): number | null {
  if (x.length < 2) return null;
  let sum = 0;
  for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) sum += distance(x[i]!, x[j]!);
  return sum / ((x.length * (x.length - 1)) / 2);
}

/**
 * Diversity of generations relative to the real images of the same prompt: mean pairwise distance among
 * the generations over the same among the real images. 1 means as varied as the real set; null when
 * either side has fewer than two images or the real images are all identical.
 */
export function diversityRatio(generated: Features, real: Features): number | null {
  const g = meanPairwiseDistance(generated);
  const r = meanPairwiseDistance(real);
  return g === null || r === null || r === 0 ? null : g / r;
}

export interface Neighbour {
  index: number;
  distance: number;
}

/** The `k` nearest vectors of `pool` to `query`, nearest first; `skip` leaves one index out. */
export function nearest(query: Float32Array, pool: Features, k: number, skip = -1): Neighbour[] {
  const found: Neighbour[] = [];
  pool.forEach((v, index) => {
    if (index === skip) return;
    const d = distance(query, v);
    if (found.length < k || d < found[found.length - 1]!.distance) {
      found.push({ index, distance: d });
      found.sort((a, b) => a.distance - b.distance || a.index - b.index);
      if (found.length > k) found.pop();
    }
  });
  return found;
}
