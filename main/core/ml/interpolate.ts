// Interpolation between two latent codes or two condition bags, used by edits and walks.

/** Straight-line blend (1 − t)·a + t·b; exactly a at t = 0 and b at t = 1. */
export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return a.map((v, i) => (1 - t) * v + t * b[i]!);
}

/**
 * Spherical interpolation: along the great circle from a to b, with the length blended linearly.
 * Gaussian noise lives near a sphere, and a straight line between two draws dips inside it (the
 * midpoint of two independent draws is √2 too short), where the generator saw no training codes.
 * Exactly a at t = 0 and b at t = 1; a straight line when the two are (nearly) parallel.
 */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  if (a.length !== b.length) throw new Error(`slerp of vectors of lengths ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  const cos = dot / Math.sqrt(na * nb);
  if (!(Math.abs(cos) < 1 - 1e-7)) return lerp(a, b, t);
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  const [ka, kb] = [Math.sin((1 - t) * omega) / sin, Math.sin(t * omega) / sin];
  // The arc between unit directions, rescaled from |a| to |b| as t goes from 0 to 1.
  const [la, lb] = [Math.sqrt(na), Math.sqrt(nb)];
  const len = (1 - t) * la + t * lb;
  return a.map((v, i) => len * (ka * (v / la) + kb * (b[i]! / lb)));
}
