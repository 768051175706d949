// One Adam step over elements [i0, i1) of a parameter, in one pass instead of tfjs's 13 element-wise
// kernels, with the same float32 operations in the same order (separate multiply and add, IEEE divide
// and square root), so it gives the bytes those kernels give:
//   m' = m·b1 + g·a1,  v' = v·b2 + g²·a2,  p' = p − (m'·s) / (√(v' / c2) + eps)
// where a1 = 1 − b1, a2 = 1 − b2, s = lr / (1 − b1^t) and c2 = 1 − b2^t. The seven float32 constants
// [b1, a1, b2, a2, s, c2, eps] are read from `hyper` (helper threads get integer arguments only).
export function adam(
  p: usize, g: usize, m: usize, v: usize, pOut: usize, mOut: usize, vOut: usize, hyper: usize,
  i0: i32, i1: i32,
): void {
  const b1 = load<f32>(hyper), a1 = load<f32>(hyper, 4), b2 = load<f32>(hyper, 8), a2 = load<f32>(hyper, 12);
  const s = load<f32>(hyper, 16), c2 = load<f32>(hyper, 20), eps = load<f32>(hyper, 24);
  const vb1 = f32x4.splat(b1), va1 = f32x4.splat(a1), vb2 = f32x4.splat(b2), va2 = f32x4.splat(a2);
  const vs = f32x4.splat(s), vc2 = f32x4.splat(c2), veps = f32x4.splat(eps);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = (i as usize) << 2;
    const gi = v128.load(g + at);
    const mi = f32x4.add(f32x4.mul(v128.load(m + at), vb1), f32x4.mul(gi, va1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + at), vb2), f32x4.mul(f32x4.mul(gi, gi), va2));
    const u = f32x4.div(f32x4.mul(mi, vs), f32x4.add(f32x4.sqrt(f32x4.div(vi, vc2)), veps));
    v128.store(mOut + at, mi);
    v128.store(vOut + at, vi);
    v128.store(pOut + at, f32x4.sub(v128.load(p + at), u));
  }
  for (; i < i1; i++) {
    const at = (i as usize) << 2;
    const gi = load<f32>(g + at);
    const mi = load<f32>(m + at) * b1 + gi * a1;
    const vi = load<f32>(v + at) * b2 + gi * gi * a2;
    store<f32>(mOut + at, mi);
    store<f32>(vOut + at, vi);
    store<f32>(pOut + at, load<f32>(p + at) - (mi * s) / (Mathf.sqrt(vi / c2) + eps));
  }
}
