// Leaky ReLU as max(x, α·x), which for 0 < α < 1 is x < 0 ? α·x : x to the bit (−0 and NaN included).
// tfjs's wasm LeakyRelu is scalar; through its Prelu kernel, which the engine used before, a profiled GAN
// step spent 29.1 / 117.4 ms at 64 / 128 px, and 13.0 / 44.3 ms through this.

/** out[i] = max(x[i], α·x[i]) for i in [i0, i1); α comes as its float32 bits (helpers get integers). */
export function leakyRelu(x: usize, out: usize, alphaBits: i32, i0: i32, i1: i32): void {
  const alpha = reinterpret<f32>(alphaBits);
  const va = f32x4.splat(alpha);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = (i as usize) << 2;
    const v = v128.load(x + at);
    v128.store(out + at, f32x4.max(v, f32x4.mul(va, v)));
  }
  for (; i < i1; i++) {
    const at = (i as usize) << 2;
    const v = load<f32>(x + at);
    store<f32>(out + at, max(v, alpha * v));
  }
}

/**
 * The gradient: out[i] = dy[i] where x[i] > 0, else α·dy[i], for i in [i0, i1). x may be the leaky
 * ReLU's input or its output, which has the same sign. One pass instead of tfjs's step and multiply.
 */
export function leakyReluGrad(x: usize, dy: usize, out: usize, alphaBits: i32, i0: i32, i1: i32): void {
  const alpha = reinterpret<f32>(alphaBits);
  const va = f32x4.splat(alpha), zero = f32x4.splat(0);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = (i as usize) << 2;
    const d = v128.load(dy + at);
    v128.store(out + at, v128.bitselect(d, f32x4.mul(va, d), f32x4.gt(v128.load(x + at), zero)));
  }
  for (; i < i1; i++) {
    const at = (i as usize) << 2;
    const d = load<f32>(dy + at);
    store<f32>(out + at, load<f32>(x + at) > 0 ? d : alpha * d);
  }
}
