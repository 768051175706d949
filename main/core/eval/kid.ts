// Kernel Inception Distance (Bińkowski et al. 2018) in whatever feature space the caller gives: the
// unbiased estimator of the squared MMD under the cubic polynomial kernel k(x, y) = (x·y / d + 1)³,
// averaged over random subsets, with the spread of the subset estimates as its uncertainty.
import { Rng } from '#shared/rng';

export type Features = Float32Array[];

/**
 * The root mean square of every entry of `x`. Features are divided by that of the real images before
 * KID, so that x·y / d is about 1 for real images whatever the scale of the feature space; without it,
 * the cubic kernel turns a classifier's unbounded activations into KIDs in the thousands.
 */
export function rmsScale(x: Features): number {
  let sum = 0;
  let n = 0;
  for (const v of x)
    for (const e of v) {
      sum += e * e;
      n++;
    }
  return n && sum > 0 ? Math.sqrt(sum / n) : 1;
}

/** k(x, y) = (x·y / d + 1)³, d the feature dimension. */
export function polynomialKernel(x: Float32Array, y: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
  return (dot / x.length + 1) ** 3;
}

/**
 * Unbiased MMD²: mean k over distinct pairs within X, plus the same within Y, minus twice the mean k
 * over all X × Y pairs. Needs at least two vectors on each side; can come out slightly negative.
 */
export function mmdUnbiased(x: Features, y: Features): number {
  const m = x.length;
  const n = y.length;
  if (m < 2 || n < 2) throw new Error(`KID needs at least 2 feature vectors on each side, got ${m} and ${n}`);
  let xx = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) xx += polynomialKernel(x[i]!, x[j]!);
  let yy = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) yy += polynomialKernel(y[i]!, y[j]!);
  let xy = 0;
  for (const a of x) for (const b of y) xy += polynomialKernel(a, b);
  return (2 * xx) / (m * (m - 1)) + (2 * yy) / (n * (n - 1)) - (2 * xy) / (m * n);
}

export interface Kid {
  /** Mean of the unbiased MMD² over the subsets. */
  kid: number;
  /** Standard deviation of the subset estimates (0 with a single subset). */
  std: number;
  subsets: number;
  subsetSize: number;
}

/**
 * KID as torch-fidelity computes it: `subsets` draws of `subsetSize` vectors from each side without
 * replacement (seeded), the unbiased MMD² of each, their mean and standard deviation. When both sides
 * are no larger than the subset size, the single estimate over everything is returned.
 */
export function kid(x: Features, y: Features, opts: { subsets?: number; subsetSize?: number; seed?: number } = {}): Kid {
  const size = Math.min(opts.subsetSize ?? 100, x.length, y.length);
  if (size >= x.length && size >= y.length) return { kid: mmdUnbiased(x, y), std: 0, subsets: 1, subsetSize: size };
  const count = opts.subsets ?? 10;
  const rng = new Rng(opts.seed ?? 0);
  const values = Array.from({ length: count }, () => mmdUnbiased(draw(x, size, rng), draw(y, size, rng)));
  const mean = values.reduce((a, b) => a + b, 0) / count;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, count - 1);
  return { kid: mean, std: Math.sqrt(variance), subsets: count, subsetSize: size };
}

/** `k` distinct items, by a partial Fisher–Yates shuffle of the indices. */
function draw<T>(items: T[], k: number, rng: Rng): T[] {
  const idx = items.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k).map((i) => items[i]!);
}
