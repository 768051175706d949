// The filter gradient of an NHWC conv2d (tfjs's Conv2DBackpropFilter), which tfjs-backend-wasm lacks:
//   dW[a, b, i, o] = Σ_{n, p, q} x[n, p·sh + a − top, q·sw + b − left, i] · dy[n, p, q, o].
// Per kernel tap it is a matrix product over the output pixels, computed in 4 × 8 register tiles
// (4 input channels × 8 output channels, x splatted, dy loaded 8 wide) over a chunk of output rows
// small enough for the chunk's x and dy rows to stay in cache. A caller may split the input channels
// [i0, i1) or output channels [o0, o1) between threads: each dW value is summed in the same order
// whatever the split.
import { madd } from './madd';

// Geometry of the current call, read by the tiles.
let X: usize, DY: usize, H: i32, W: i32, CI: i32, HO: i32, WO: i32, CO: i32, SH: i32, SW: i32;
// The current chunk of output rows (n·HO + p) and kernel tap.
let R0: i32, R1: i32, IY: i32, IX: i32, OX0: i32, KX: i32;


/** Byte address of x[n, iy, OX0·SW + IX, i] for output row r, or 0 when that input row is padding. */
@inline function xRow(r: i32, i: i32): usize {
  const n = r / HO;
  const iy = (r - n * HO) * SH + IY;
  if (<u32>iy >= <u32>H) return 0;
  return X + (((((n * H + iy) * W + OX0 * SW + IX) * CI + i) as usize) << 2);
}

@inline function dyRow(r: i32, o: i32): usize {
  return DY + ((((r * WO + OX0) * CO + o) as usize) << 2);
}

/** dW[tap, i..i+3, o..o+7] += over the chunk; c points at dW[tap, i, o]. */
function tile4x8(i: i32, o: i32, c: usize): void {
  const ldc = (CO as usize) << 2;
  const xs = ((SW * CI) as usize) << 2;
  const ys = ldc;
  let c0a = v128.load(c), c0b = v128.load(c, 16);
  let c1a = v128.load(c + ldc), c1b = v128.load(c + ldc, 16);
  let c2a = v128.load(c + 2 * ldc), c2b = v128.load(c + 2 * ldc, 16);
  let c3a = v128.load(c + 3 * ldc), c3b = v128.load(c + 3 * ldc, 16);
  for (let r = R0; r < R1; r++) {
    let xp = xRow(r, i);
    if (xp == 0) continue;
    let yp = dyRow(r, o);
    for (let k = 0; k < KX; k++) {
      const b0 = v128.load(yp), b1 = v128.load(yp, 16);
      let s = v128.load32_splat(xp);
      c0a = madd(s, b0, c0a); c0b = madd(s, b1, c0b);
      s = v128.load32_splat(xp, 4);
      c1a = madd(s, b0, c1a); c1b = madd(s, b1, c1b);
      s = v128.load32_splat(xp, 8);
      c2a = madd(s, b0, c2a); c2b = madd(s, b1, c2b);
      s = v128.load32_splat(xp, 12);
      c3a = madd(s, b0, c3a); c3b = madd(s, b1, c3b);
      xp += xs;
      yp += ys;
    }
  }
  v128.store(c, c0a); v128.store(c, c0b, 16);
  v128.store(c + ldc, c1a); v128.store(c + ldc, c1b, 16);
  v128.store(c + 2 * ldc, c2a); v128.store(c + 2 * ldc, c2b, 16);
  v128.store(c + 3 * ldc, c3a); v128.store(c + 3 * ldc, c3b, 16);
}

/** dW[tap, i, o..o+7] += over the chunk, for input channels left over from the 4-wide tiles. */
function tile1x8(i: i32, o: i32, c: usize): void {
  const xs = ((SW * CI) as usize) << 2;
  const ys = (CO as usize) << 2;
  let ca = v128.load(c), cb = v128.load(c, 16);
  for (let r = R0; r < R1; r++) {
    let xp = xRow(r, i);
    if (xp == 0) continue;
    let yp = dyRow(r, o);
    for (let k = 0; k < KX; k++) {
      const s = v128.load32_splat(xp);
      ca = madd(s, v128.load(yp), ca);
      cb = madd(s, v128.load(yp, 16), cb);
      xp += xs;
      yp += ys;
    }
  }
  v128.store(c, ca);
  v128.store(c, cb, 16);
}

/** dW[tap, i..i+3, o] += over the chunk, for output channels left over from the 8-wide tiles. */
function tile4x1(i: i32, o: i32, c: usize): void {
  const xs = ((SW * CI) as usize) << 2;
  const ys = (CO as usize) << 2;
  const ldc = ys;
  // Continue the sums in dW, as the wider tiles do, so chunking does not regroup them.
  let acc = f32x4.splat(load<f32>(c));
  acc = f32x4.replace_lane(acc, 1, load<f32>(c + ldc));
  acc = f32x4.replace_lane(acc, 2, load<f32>(c + 2 * ldc));
  acc = f32x4.replace_lane(acc, 3, load<f32>(c + 3 * ldc));
  for (let r = R0; r < R1; r++) {
    let xp = xRow(r, i);
    if (xp == 0) continue;
    let yp = dyRow(r, o);
    for (let k = 0; k < KX; k++) {
      acc = madd(v128.load(xp), v128.load32_splat(yp), acc);
      xp += xs;
      yp += ys;
    }
  }
  store<f32>(c, f32x4.extract_lane(acc, 0));
  store<f32>(c + ldc, f32x4.extract_lane(acc, 1));
  store<f32>(c + 2 * ldc, f32x4.extract_lane(acc, 2));
  store<f32>(c + 3 * ldc, f32x4.extract_lane(acc, 3));
}

/** dW[tap, i, o] += over the chunk: the corner no vector tile covers. */
function tile1x1(i: i32, o: i32, c: usize): void {
  const xs = ((SW * CI) as usize) << 2;
  const ys = (CO as usize) << 2;
  let acc = load<f32>(c);
  for (let r = R0; r < R1; r++) {
    let xp = xRow(r, i);
    if (xp == 0) continue;
    let yp = dyRow(r, o);
    for (let k = 0; k < KX; k++) {
      acc += load<f32>(xp) * load<f32>(yp);
      xp += xs;
      yp += ys;
    }
  }
  store<f32>(c, acc);
}

/**
 * Writes dW[:, :, i0..i1, o0..o1) (layout [kh, kw, ci, co]) for x [batch, h, w, ci] and dy [batch, ho, wo,
 * co]; `rows` output rows make one chunk. Pointers are byte addresses in tfjs's memory.
 */
export function filterGrad(
  x: usize, dy: usize, dw: usize,
  batch: i32, h: i32, w: i32, ci: i32, ho: i32, wo: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32,
  rows: i32, i0: i32, i1: i32, o0: i32, o1: i32,
): void {
  X = x; DY = dy; H = h; W = w; CI = ci; HO = ho; WO = wo; CO = co; SH = sh; SW = sw;
  const taps = kh * kw;
  for (let t = 0; t < taps; t++) {
    for (let i = i0; i < i1; i++) memory.fill(dw + (((((t * ci) + i) * co + o0) as usize) << 2), 0, ((o1 - o0) as usize) << 2);
  }
  const o8 = o0 + ((o1 - o0) & ~7);
  for (R0 = 0; R0 < batch * ho; R0 += rows) {
    R1 = min(R0 + rows, batch * ho);
    for (let a = 0; a < kh; a++) {
      IY = a - top;
      for (let b = 0; b < kw; b++) {
        IX = b - left;
        // Output columns q whose input column q·sw + IX lies inside x.
        OX0 = IX >= 0 ? 0 : (sw - 1 - IX) / sw;
        const end = w - 1 - IX < 0 ? 0 : min(wo, (w - 1 - IX) / sw + 1);
        KX = end - OX0;
        if (KX <= 0) continue;
        const tap = dw + (((((a * kw + b) * ci) * co) as usize) << 2);
        for (let o = o0; o < o8; o += 8) {
          let i = i0;
          for (; i + 4 <= i1; i += 4) tile4x8(i, o, tap + (((i * co + o) as usize) << 2));
          for (; i < i1; i++) tile1x8(i, o, tap + (((i * co + o) as usize) << 2));
        }
        for (let o = o8; o < o1; o++) {
          let i = i0;
          for (; i + 4 <= i1; i += 4) tile4x1(i, o, tap + (((i * co + o) as usize) << 2));
          for (; i < i1; i++) tile1x1(i, o, tap + (((i * co + o) as usize) << 2));
        }
      }
    }
  }
}
