// The filter gradient of an NHWC conv2d (tfjs's Conv2DBackpropFilter), which tfjs-backend-wasm lacks:
//   dW[a, b, i, o] = Σ_{n, p, q} x[n, p·sh + a − top, q·sw + b − left, i] · dy[n, p, q, o].
// Per kernel tap it is a matrix product over the output pixels, computed in 4 × 8 register tiles
// (4 input channels × 8 output channels, x splatted, dy loaded 8 wide; for images' 3 channels, 3 × 8
// with x as the 3, or 8 × 4 with dy splatted) over a chunk of output rows
// small enough for the chunk's x and dy to stay in cache. For each chunk and tap, each output row's run
// of pixels whose tap lies inside x is listed first (its x and dy addresses and length), so the tiles
// do no address arithmetic per row: a 4×4 layer's rows are too short to pay for it. A caller may split
// the input channels [i0, i1) or output channels [o0, o1) between threads: each dW value is summed in
// pixel order, continuing from dW, whatever the split or chunk size.
import { madd } from './madd';

let CO: i32;
// Steps from one pixel of a run to the next, in x and in dy.
let XS: usize, YS: usize;
// The current list of runs: RUNS entries of (x address, dy address, length) at LIST.
let LIST: usize, RUNS: i32;

/** dW[tap, i..i+3, o..o+7] += over the runs; c points at dW[tap, i, o]. */
function tile4x8(i: i32, o: i32, c: usize): void {
  const ldc = (CO as usize) << 2;
  const xi = (i as usize) << 2, yo = (o as usize) << 2;
  let c0a = v128.load(c), c0b = v128.load(c, 16);
  let c1a = v128.load(c + ldc), c1b = v128.load(c + ldc, 16);
  let c2a = v128.load(c + 2 * ldc), c2b = v128.load(c + 2 * ldc, 16);
  let c3a = v128.load(c + 3 * ldc), c3b = v128.load(c + 3 * ldc, 16);
  for (let run = LIST, end = LIST + 12 * RUNS; run < end; run += 12) {
    let xp = load<usize>(run) + xi, yp = load<usize>(run, 4) + yo;
    for (let k = load<i32>(run, 8); k > 0; k--) {
      const b0 = v128.load(yp), b1 = v128.load(yp, 16);
      let s = v128.load32_splat(xp);
      c0a = madd(s, b0, c0a); c0b = madd(s, b1, c0b);
      s = v128.load32_splat(xp, 4);
      c1a = madd(s, b0, c1a); c1b = madd(s, b1, c1b);
      s = v128.load32_splat(xp, 8);
      c2a = madd(s, b0, c2a); c2b = madd(s, b1, c2b);
      s = v128.load32_splat(xp, 12);
      c3a = madd(s, b0, c3a); c3b = madd(s, b1, c3b);
      xp += XS;
      yp += YS;
    }
  }
  v128.store(c, c0a); v128.store(c, c0b, 16);
  v128.store(c + ldc, c1a); v128.store(c + ldc, c1b, 16);
  v128.store(c + 2 * ldc, c2a); v128.store(c + 2 * ldc, c2b, 16);
  v128.store(c + 3 * ldc, c3a); v128.store(c + 3 * ldc, c3b, 16);
}

/**
 * dW[tap, i..i+n−1, o..o+7] += over the runs for n = 2 or 3 input channels left over from the 4-wide
 * tiles (an image's 3 channels): one pass over the pixels instead of n. With n = 2 the third row
 * repeats the second and is not stored.
 */
function tile3x8(i: i32, o: i32, c: usize, n: i32): void {
  const ldc = (CO as usize) << 2;
  const xi = (i as usize) << 2, yo = (o as usize) << 2;
  const x2 = ((n - 1) as usize) << 2;
  let c0a = v128.load(c), c0b = v128.load(c, 16);
  let c1a = v128.load(c + ldc), c1b = v128.load(c + ldc, 16);
  let c2a = v128.load(c + x2 * (CO as usize)), c2b = v128.load(c + x2 * (CO as usize), 16);
  for (let run = LIST, end = LIST + 12 * RUNS; run < end; run += 12) {
    let xp = load<usize>(run) + xi, yp = load<usize>(run, 4) + yo;
    for (let k = load<i32>(run, 8); k > 0; k--) {
      const b0 = v128.load(yp), b1 = v128.load(yp, 16);
      let s = v128.load32_splat(xp);
      c0a = madd(s, b0, c0a); c0b = madd(s, b1, c0b);
      s = v128.load32_splat(xp, 4);
      c1a = madd(s, b0, c1a); c1b = madd(s, b1, c1b);
      s = v128.load32_splat(xp + x2);
      c2a = madd(s, b0, c2a); c2b = madd(s, b1, c2b);
      xp += XS;
      yp += YS;
    }
  }
  v128.store(c, c0a); v128.store(c, c0b, 16);
  v128.store(c + ldc, c1a); v128.store(c + ldc, c1b, 16);
  if (n > 2) {
    v128.store(c + 2 * ldc, c2a); v128.store(c + 2 * ldc, c2b, 16);
  }
}

/** dW[tap, i, o..o+7] += over the runs, for an input channel left over from the wider tiles. */
function tile1x8(i: i32, o: i32, c: usize): void {
  const xi = (i as usize) << 2, yo = (o as usize) << 2;
  let ca = v128.load(c), cb = v128.load(c, 16);
  for (let run = LIST, end = LIST + 12 * RUNS; run < end; run += 12) {
    let xp = load<usize>(run) + xi, yp = load<usize>(run, 4) + yo;
    for (let k = load<i32>(run, 8); k > 0; k--) {
      const s = v128.load32_splat(xp);
      ca = madd(s, v128.load(yp), ca);
      cb = madd(s, v128.load(yp, 16), cb);
      xp += XS;
      yp += YS;
    }
  }
  v128.store(c, ca);
  v128.store(c, cb, 16);
}

/**
 * dW[tap, i..i+7, o..o+m−1] += over the runs for the m ≤ 4 output channels left over from the 8-wide
 * tiles (an image's 3): input channels in the lanes, one pass over the pixels for all m. Outputs past
 * m read dy[.., o] again and are not stored.
 */
function tile8x4(i: i32, o: i32, c: usize, m: i32): void {
  const ldc = (CO as usize) << 2;
  const xi = (i as usize) << 2, yo = (o as usize) << 2;
  const y1: usize = m > 1 ? 4 : 0, y2: usize = m > 2 ? 8 : 0, y3: usize = m > 3 ? 12 : 0;
  // a_k, b_k: dW[tap, i..i+3, o+k] and dW[tap, i+4..i+7, o+k], continuing the sums in dW.
  const c4 = c + 4 * ldc;
  let a0 = loadColumn(c, ldc), b0 = loadColumn(c4, ldc);
  let a1 = loadColumn(c + y1, ldc), b1 = loadColumn(c4 + y1, ldc);
  let a2 = loadColumn(c + y2, ldc), b2 = loadColumn(c4 + y2, ldc);
  let a3 = loadColumn(c + y3, ldc), b3 = loadColumn(c4 + y3, ldc);
  for (let run = LIST, end = LIST + 12 * RUNS; run < end; run += 12) {
    let xp = load<usize>(run) + xi, yp = load<usize>(run, 4) + yo;
    for (let k = load<i32>(run, 8); k > 0; k--) {
      const xa = v128.load(xp), xb = v128.load(xp, 16);
      let s = v128.load32_splat(yp);
      a0 = madd(xa, s, a0); b0 = madd(xb, s, b0);
      s = v128.load32_splat(yp + y1);
      a1 = madd(xa, s, a1); b1 = madd(xb, s, b1);
      s = v128.load32_splat(yp + y2);
      a2 = madd(xa, s, a2); b2 = madd(xb, s, b2);
      s = v128.load32_splat(yp + y3);
      a3 = madd(xa, s, a3); b3 = madd(xb, s, b3);
      xp += XS;
      yp += YS;
    }
  }
  storeColumn(c, ldc, a0); storeColumn(c4, ldc, b0);
  if (m > 1) { storeColumn(c + 4, ldc, a1); storeColumn(c4 + 4, ldc, b1); }
  if (m > 2) { storeColumn(c + 8, ldc, a2); storeColumn(c4 + 8, ldc, b2); }
  if (m > 3) { storeColumn(c + 12, ldc, a3); storeColumn(c4 + 12, ldc, b3); }
}

/** The 4 values down a column of dW from c (rows ldc bytes apart). */
@inline function loadColumn(c: usize, ldc: usize): v128 {
  let v = f32x4.splat(load<f32>(c));
  v = f32x4.replace_lane(v, 1, load<f32>(c + ldc));
  v = f32x4.replace_lane(v, 2, load<f32>(c + 2 * ldc));
  return f32x4.replace_lane(v, 3, load<f32>(c + 3 * ldc));
}

@inline function storeColumn(c: usize, ldc: usize, v: v128): void {
  store<f32>(c, f32x4.extract_lane(v, 0));
  store<f32>(c + ldc, f32x4.extract_lane(v, 1));
  store<f32>(c + 2 * ldc, f32x4.extract_lane(v, 2));
  store<f32>(c + 3 * ldc, f32x4.extract_lane(v, 3));
}

/** dW[tap, i..i+3, o] += over the runs, for output channels left over from the 8-wide tiles. */
function tile4x1(i: i32, o: i32, c: usize): void {
  const ldc = (CO as usize) << 2;
  const xi = (i as usize) << 2, yo = (o as usize) << 2;
  let acc = loadColumn(c, ldc); // continuing the sums in dW, as the wider tiles do
  for (let run = LIST, end = LIST + 12 * RUNS; run < end; run += 12) {
    let xp = load<usize>(run) + xi, yp = load<usize>(run, 4) + yo;
    for (let k = load<i32>(run, 8); k > 0; k--) {
      acc = madd(v128.load(xp), v128.load32_splat(yp), acc);
      xp += XS;
      yp += YS;
    }
  }
  storeColumn(c, ldc, acc);
}

/** dW[tap, i, o] += over the runs: the corner no vector tile covers. */
function tile1x1(i: i32, o: i32, c: usize): void {
  const xi = (i as usize) << 2, yo = (o as usize) << 2;
  let acc = load<f32>(c);
  for (let run = LIST, end = LIST + 12 * RUNS; run < end; run += 12) {
    let xp = load<usize>(run) + xi, yp = load<usize>(run, 4) + yo;
    for (let k = load<i32>(run, 8); k > 0; k--) {
      acc += load<f32>(xp) * load<f32>(yp);
      xp += XS;
      yp += YS;
    }
  }
  store<f32>(c, acc);
}

/**
 * Writes dW[:, :, i0..i1, o0..o1) (layout [kh, kw, ci, co]) for x [batch, h, w, ci] and dy [batch, ho,
 * wo, co]; `rows` output rows make one chunk, and `list` has room for that many runs (12 bytes each;
 * each thread its own). Pointers are byte addresses in tfjs's memory.
 */
export function filterGrad(
  x: usize, dy: usize, dw: usize,
  batch: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32,
  rows: i32, list: usize, i0: i32, i1: i32, o0: i32, o1: i32,
): void {
  CO = co;
  LIST = list;
  XS = ((sw * ci) as usize) << 2;
  YS = (co as usize) << 2;
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) {
    for (let i = i0; i < i1; i++) memory.fill(dw + (((((t * ci) + i) * co + o0) as usize) << 2), 0, ((o1 - o0) as usize) << 2);
  }
  const o8 = o0 + ((o1 - o0) & ~7);
  for (let r0 = 0; r0 < batch * ho; r0 += rows) {
    const r1 = min(r0 + rows, batch * ho);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        // Output columns q whose input column q·sw + b − left lies inside x.
        const q0 = b >= left ? 0 : (left - b + sw - 1) / sw;
        const q1 = w - 1 + left - b < 0 ? 0 : min(wo, (w - 1 + left - b) / sw + 1);
        if (q1 <= q0) continue;
        RUNS = 0;
        for (let r = r0; r < r1; r++) {
          const n = r / ho;
          const iy = (r - n * ho) * sh + a - top;
          if (<u32>iy >= <u32>h) continue;
          const run = LIST + 12 * RUNS++;
          store<usize>(run, x + ((((n * h + iy) * w + q0 * sw + b - left) * ci) as usize << 2));
          store<usize>(run, dy + ((((r * wo + q0) * co) as usize) << 2), 4);
          store<i32>(run, q1 - q0, 8);
        }
        if (RUNS == 0) continue;
        const tap = dw + (((((a * kw + b) * ci) * co) as usize) << 2);
        for (let o = o0; o < o8; o += 8) {
          let i = i0;
          for (; i + 4 <= i1; i += 4) tile4x8(i, o, tap + (((i * co + o) as usize) << 2));
          if (i1 - i >= 2) tile3x8(i, o, tap + (((i * co + o) as usize) << 2), i1 - i);
          else if (i < i1) tile1x8(i, o, tap + (((i * co + o) as usize) << 2));
        }
        // Up to 4 output channels left (an image's): all of them per pass, 8 input channels at a time.
        let i = i0;
        if (o1 > o8 && o1 - o8 <= 4) {
          for (; i + 8 <= i1; i += 8) tile8x4(i, o8, tap + (((i * co + o8) as usize) << 2), o1 - o8);
        }
        for (let o = o8; o < o1; o++) {
          let j = i;
          for (; j + 4 <= i1; j += 4) tile4x1(j, o, tap + (((j * co + o) as usize) << 2));
          for (; j < i1; j++) tile1x1(j, o, tap + (((j * co + o) as usize) << 2));
        }
      }
    }
  }
}
