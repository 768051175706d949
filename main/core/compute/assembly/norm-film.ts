// The generator block's tail, leakyRelu(pixelNorm(x) · scale + shift) with scale and shift per image and
// channel (FiLM), as one pass over x forward and one backward. As tfjs ops it was ten kernels forward
// and about twenty backward, each a pass over an activation-sized tensor (82 of 778 profiled ms at 64 px).
//   r = 1 / √(mean_c x² + eps),  n = x · r,  y = n · scale + shift,  out = max(y, α · y)
// Backward, with g = dOut · (y > 0 ? 1 : α) and dn = g · scale:
//   dShift = Σ_pixels g,  dScale = Σ_pixels g · n,  dx = r · (dn − n · mean_c(dn · n)).
// Tensors are [pixels, c] with `hw` pixels per image; scale and shift are [images, c]. Float arguments
// come as their float32 bits (helper threads pass integers).
import { madd } from './madd';

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

@inline function at(base: usize, i: i32): usize {
  return base + ((i as usize) << 2);
}

/** 1 / √(mean of the c values at px squared + eps). */
@inline function pixelScale(px: usize, c: i32, eps: f32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const v = v128.load(at(px, i));
    acc = madd(v, v, acc);
  }
  let ss = hsum(acc);
  for (; i < c; i++) {
    const v = load<f32>(at(px, i));
    ss += v * v;
  }
  return 1 / sqrt<f32>(ss / <f32>c + eps);
}

/** out for the pixels [p0, p1). */
export function normFilm(
  x: usize, scale: usize, shift: usize, out: usize, c: i32, hw: i32, alphaBits: i32, epsBits: i32, p0: i32, p1: i32,
): void {
  const alpha = reinterpret<f32>(alphaBits), eps = reinterpret<f32>(epsBits);
  const va = f32x4.splat(alpha);
  for (let p = p0; p < p1; p++) {
    const row = (p as usize) * (c as usize);
    const xp = x + (row << 2), op = out + (row << 2);
    const img = ((p / hw) as usize) * (c as usize);
    const sp = scale + (img << 2), tp = shift + (img << 2);
    const r = pixelScale(xp, c, eps);
    const vr = f32x4.splat(r);
    let i = 0;
    for (; i + 4 <= c; i += 4) {
      const y = madd(f32x4.mul(v128.load(at(xp, i)), vr), v128.load(at(sp, i)), v128.load(at(tp, i)));
      v128.store(at(op, i), f32x4.max(y, f32x4.mul(va, y)));
    }
    for (; i < c; i++) {
      const y = load<f32>(at(xp, i)) * r * load<f32>(at(sp, i)) + load<f32>(at(tp, i));
      store<f32>(at(op, i), max(y, alpha * y));
    }
  }
}

/** dx, dScale and dShift for the images [b0, b1): each image's sums are one thread's, in pixel order. */
export function normFilmGrad(
  x: usize, scale: usize, shift: usize, dOut: usize, dx: usize, dScale: usize, dShift: usize,
  c: i32, hw: i32, alphaBits: i32, epsBits: i32, b0: i32, b1: i32,
): void {
  const alpha = reinterpret<f32>(alphaBits), eps = reinterpret<f32>(epsBits);
  const va = f32x4.splat(alpha), zero = f32x4.splat(0);
  const rowBytes = (c as usize) << 2;
  for (let b = b0; b < b1; b++) {
    const img = (b as usize) * rowBytes;
    const sp = scale + img, tp = shift + img, dsp = dScale + img, dtp = dShift + img;
    memory.fill(dsp, 0, rowBytes);
    memory.fill(dtp, 0, rowBytes);
    for (let q = 0; q < hw; q++) {
      const row = ((b * hw + q) as usize) * rowBytes;
      const xp = x + row, gp = dOut + row, dp = dx + row;
      const r = pixelScale(xp, c, eps);
      const vr = f32x4.splat(r);
      // Pass 1: the sums, and dn kept in dx.
      let dot = f32x4.splat(0);
      let i = 0;
      for (; i + 4 <= c; i += 4) {
        const s = v128.load(at(sp, i));
        const n = f32x4.mul(v128.load(at(xp, i)), vr);
        const y = madd(n, s, v128.load(at(tp, i)));
        const d = v128.load(at(gp, i));
        const g = v128.bitselect(d, f32x4.mul(va, d), f32x4.gt(y, zero));
        v128.store(at(dtp, i), f32x4.add(v128.load(at(dtp, i)), g));
        v128.store(at(dsp, i), madd(g, n, v128.load(at(dsp, i))));
        const dn = f32x4.mul(g, s);
        dot = madd(dn, n, dot);
        v128.store(at(dp, i), dn);
      }
      let k = hsum(dot);
      for (; i < c; i++) {
        const s = load<f32>(at(sp, i));
        const n = load<f32>(at(xp, i)) * r;
        const d = load<f32>(at(gp, i));
        const g = n * s + load<f32>(at(tp, i)) > 0 ? d : alpha * d;
        store<f32>(at(dtp, i), load<f32>(at(dtp, i)) + g);
        store<f32>(at(dsp, i), load<f32>(at(dsp, i)) + g * n);
        const dn = g * s;
        k += dn * n;
        store<f32>(at(dp, i), dn);
      }
      k /= <f32>c;
      // Pass 2: dx = r · (dn − n · k).
      const vk = f32x4.splat(k);
      i = 0;
      for (; i + 4 <= c; i += 4) {
        const n = f32x4.mul(v128.load(at(xp, i)), vr);
        v128.store(at(dp, i), f32x4.mul(vr, f32x4.sub(v128.load(at(dp, i)), f32x4.mul(n, vk))));
      }
      for (; i < c; i++) {
        const n = load<f32>(at(xp, i)) * r;
        store<f32>(at(dp, i), r * (load<f32>(at(dp, i)) - n * k));
      }
    }
  }
}
