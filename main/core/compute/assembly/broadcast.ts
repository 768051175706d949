// Add, Sub and Mul of a [n, p, c] tensor and one broadcast over some of those axes: a bias [c], a FiLM
// scale [n, 1, c], a pixel norm [n, p, 1], a per-image [n, 1, 1]. tfjs's wasm build sends every
// broadcast but a scalar one to a scalar loop. Each value is one float32 operation, as in tfjs.

const ADD = 0;
const SUB = 1;
const MUL = 2;

@inline function apply(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  return f32x4.mul(a, b);
}

@inline function apply1(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  return a * b;
}

/**
 * out[i, q, k] = a[i, q, k] op b[i·sn + q·sp + k·sc] for rows i·p + q in [r0, r1) of a [n, p, c]; b's
 * strides are 0 along its broadcast axes (sc is 0 or 1). `op`: 0 add, 1 subtract, 2 multiply.
 */
export function broadcast(op: i32, a: usize, b: usize, out: usize, p: i32, c: i32, sn: i32, sp: i32, sc: i32, r0: i32, r1: i32): void {
  let i = r0 / p;
  let q = r0 - i * p;
  for (let r = r0; r < r1; r++, q++) {
    if (q == p) {
      q = 0;
      i++;
    }
    const row = ((r as usize) * c) << 2;
    const bRow = b + (((i * sn + q * sp) as usize) << 2);
    let k = 0;
    if (sc == 1) {
      for (; k + 4 <= c; k += 4) {
        const at = (k as usize) << 2;
        v128.store(out + row + at, apply(op, v128.load(a + row + at), v128.load(bRow + at)));
      }
      for (; k < c; k++) {
        const at = (k as usize) << 2;
        store<f32>(out + row + at, apply1(op, load<f32>(a + row + at), load<f32>(bRow + at)));
      }
    } else {
      const s = load<f32>(bRow);
      const vs = f32x4.splat(s);
      for (; k + 4 <= c; k += 4) {
        const at = (k as usize) << 2;
        v128.store(out + row + at, apply(op, v128.load(a + row + at), vs));
      }
      for (; k < c; k++) {
        const at = (k as usize) << 2;
        store<f32>(out + row + at, apply1(op, load<f32>(a + row + at), s));
      }
    }
  }
}
