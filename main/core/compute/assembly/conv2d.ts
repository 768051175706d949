// A forward NHWC conv2d (tfjs's Conv2D, dilation 1): y[n, p, q, o] = Σ_{a, b, i} x[n, p·sh + a − top,
// q·sw + b − left, i] · w[a, b, i, o]. Tiles of 4 output pixels (consecutive in n·ho·wo order, so a tile
// may span rows) × 8 output channels: x splatted, w loaded 8 wide, the sums kept in registers over every
// tap and input channel. Pixels whose tap falls in the padding read a row of zeros instead. The filter
// is first packed (packPanels) so each tile reads its 8 columns contiguously: read in place, a filter
// with 1024 columns puts every row on its own 4 KiB page, and the TLB misses made the conv 4× slower.
// A caller may split the pixels [p0, p1) between threads; each output value is one thread's, summed in
// a fixed order.
import { madd } from './madd';

let X: usize, WT: usize, Y: usize, ZEROS: usize, BIAS: usize;
// Leaky ReLU on the way out, with slope ALPHA below zero, when LEAKY.
let LEAKY: bool, ALPHA: v128;
let H: i32, W: i32, CI: i32, HO: i32, WO: i32, CO: i32, KH: i32, KW: i32, SH: i32, SW: i32, TOP: i32, LEFT: i32;
// Per tile: each pixel's image, and the input row and column its (0, 0) tap reads.
let N0: i32, N1: i32, N2: i32, N3: i32;
let IY0: i32, IY1: i32, IY2: i32, IY3: i32;
let IX0: i32, IX1: i32, IX2: i32, IX3: i32;

/** Byte address of x[n, iy, ix, 0], or of the zero row when (iy, ix) is padding. */
@inline function xAt(n: i32, iy: i32, ix: i32): usize {
  if (<u32>iy >= <u32>H || <u32>ix >= <u32>W) return ZEROS;
  return X + ((((n * H + iy) * W + ix) * CI) as usize << 2);
}

/** Records pixel `pixel` (clamped to `last`, so a short tile repeats its last pixel) as tile slot k. */
@inline function place(k: i32, pixel: i32, last: i32): void {
  const t = min(pixel, last);
  const n = t / (HO * WO);
  const pq = t - n * HO * WO;
  const p = pq / WO;
  const iy = p * SH - TOP;
  const ix = (pq - p * WO) * SW - LEFT;
  if (k == 0) { N0 = n; IY0 = iy; IX0 = ix; }
  else if (k == 1) { N1 = n; IY1 = iy; IX1 = ix; }
  else if (k == 2) { N2 = n; IY2 = iy; IX2 = ix; }
  else { N3 = n; IY3 = iy; IX3 = ix; }
}

/** Stores lanes [0, lanes) of v at y. */
@inline function storeLanes(y: usize, v: v128, lanes: i32): void {
  if (lanes >= 4) { v128.store(y, v); return; }
  if (lanes > 0) store<f32>(y, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(y, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(y, f32x4.extract_lane(v, 2), 8);
}

/** Stores one pixel's 8-channel row (its first `lanes` channels). */
@inline function storeRow(y: usize, a: v128, b: v128, lanes: i32): void {
  if (lanes >= 8) { v128.store(y, a); v128.store(y, b, 16); return; }
  storeLanes(y, a, lanes);
  storeLanes(y + 16, b, lanes - 4);
}

/** y for the placed tile's `count` pixels starting at `pixel`, channels o..o+lanes−1. */
function tile(pixel: i32, count: i32, o: i32, lanes: i32): void {
  // The sums start from the bias, when there is one (8 values per panel, zero past co).
  let c0a = f32x4.splat(0), c0b = f32x4.splat(0);
  if (BIAS) {
    c0a = v128.load(BIAS + ((o as usize) << 2));
    c0b = v128.load(BIAS + ((o as usize) << 2), 16);
  }
  let c1a = c0a, c1b = c0b, c2a = c0a, c2b = c0b, c3a = c0a, c3b = c0b;
  const panel = WT + ((((o >> 3) * KH * KW * CI) as usize) << 5);
  for (let a = 0; a < KH; a++) {
    for (let b = 0; b < KW; b++) {
      let x0 = xAt(N0, IY0 + a, IX0 + b), x1 = xAt(N1, IY1 + a, IX1 + b);
      let x2 = xAt(N2, IY2 + a, IX2 + b), x3 = xAt(N3, IY3 + a, IX3 + b);
      let wp = panel + ((((a * KW + b) * CI) as usize) << 5);
      for (let i = 0; i < CI; i++) {
        const w0 = v128.load(wp), w1 = v128.load(wp, 16);
        let s = v128.load32_splat(x0);
        c0a = madd(s, w0, c0a); c0b = madd(s, w1, c0b);
        s = v128.load32_splat(x1);
        c1a = madd(s, w0, c1a); c1b = madd(s, w1, c1b);
        s = v128.load32_splat(x2);
        c2a = madd(s, w0, c2a); c2b = madd(s, w1, c2b);
        s = v128.load32_splat(x3);
        c3a = madd(s, w0, c3a); c3b = madd(s, w1, c3b);
        x0 += 4; x1 += 4; x2 += 4; x3 += 4;
        wp += 32;
      }
    }
  }
  if (LEAKY) {
    c0a = f32x4.max(c0a, f32x4.mul(ALPHA, c0a)); c0b = f32x4.max(c0b, f32x4.mul(ALPHA, c0b));
    c1a = f32x4.max(c1a, f32x4.mul(ALPHA, c1a)); c1b = f32x4.max(c1b, f32x4.mul(ALPHA, c1b));
    c2a = f32x4.max(c2a, f32x4.mul(ALPHA, c2a)); c2b = f32x4.max(c2b, f32x4.mul(ALPHA, c2b));
    c3a = f32x4.max(c3a, f32x4.mul(ALPHA, c3a)); c3b = f32x4.max(c3b, f32x4.mul(ALPHA, c3b));
  }
  const row = (CO as usize) << 2;
  const y = Y + ((((pixel as usize) * CO + o) as usize) << 2);
  storeRow(y, c0a, c0b, lanes);
  if (count > 1) storeRow(y + row, c1a, c1b, lanes);
  if (count > 2) storeRow(y + 2 * row, c2a, c2b, lanes);
  if (count > 3) storeRow(y + 3 * row, c3a, c3b, lanes);
}

/**
 * tile() for a panel with at most 4 output channels (an image's 3): half the multiply-adds and one
 * filter load per input channel instead of two.
 */
function narrowTile(pixel: i32, count: i32, o: i32, lanes: i32): void {
  let c0 = BIAS ? v128.load(BIAS + ((o as usize) << 2)) : f32x4.splat(0);
  let c1 = c0, c2 = c0, c3 = c0;
  const panel = WT + ((((o >> 3) * KH * KW * CI) as usize) << 5);
  for (let a = 0; a < KH; a++) {
    for (let b = 0; b < KW; b++) {
      let x0 = xAt(N0, IY0 + a, IX0 + b), x1 = xAt(N1, IY1 + a, IX1 + b);
      let x2 = xAt(N2, IY2 + a, IX2 + b), x3 = xAt(N3, IY3 + a, IX3 + b);
      let wp = panel + ((((a * KW + b) * CI) as usize) << 5);
      for (let i = 0; i < CI; i++) {
        const w0 = v128.load(wp);
        c0 = madd(v128.load32_splat(x0), w0, c0);
        c1 = madd(v128.load32_splat(x1), w0, c1);
        c2 = madd(v128.load32_splat(x2), w0, c2);
        c3 = madd(v128.load32_splat(x3), w0, c3);
        x0 += 4; x1 += 4; x2 += 4; x3 += 4;
        wp += 32;
      }
    }
  }
  if (LEAKY) {
    c0 = f32x4.max(c0, f32x4.mul(ALPHA, c0)); c1 = f32x4.max(c1, f32x4.mul(ALPHA, c1));
    c2 = f32x4.max(c2, f32x4.mul(ALPHA, c2)); c3 = f32x4.max(c3, f32x4.mul(ALPHA, c3));
  }
  const row = (CO as usize) << 2;
  const y = Y + ((((pixel as usize) * CO + o) as usize) << 2);
  storeLanes(y, c0, lanes);
  if (count > 1) storeLanes(y + row, c1, lanes);
  if (count > 2) storeLanes(y + 2 * row, c2, lanes);
  if (count > 3) storeLanes(y + 3 * row, c3, lanes);
}

/**
 * Copies columns [8·j0, 8·j1) of `src` [rows, cols] into 8-column panels at `dst`, panel j holding
 * [rows, 8] with columns past `cols` zero: the layout conv2d reads its filter in.
 */
export function packPanels(src: usize, dst: usize, rows: i32, cols: i32, j0: i32, j1: i32): void {
  const ld = (cols as usize) << 2;
  for (let j = j0; j < j1; j++) {
    let from = src + (((8 * j) as usize) << 2);
    let to = dst + ((((j * rows) as usize) * 8) << 2);
    const lanes = min(8, cols - 8 * j);
    for (let r = 0; r < rows; r++) {
      if (lanes == 8) {
        v128.store(to, v128.load(from));
        v128.store(to, v128.load(from, 16), 16);
      } else {
        for (let l = 0; l < 8; l++) store<f32>(to + ((l as usize) << 2), l < lanes ? load<f32>(from + ((l as usize) << 2)) : 0);
      }
      from += ld;
      to += 32;
    }
  }
}

/**
 * Writes y [n, ho, wo, co] at output pixels [p0, p1) (in n·ho·wo order) for x [n, h, w, ci] and the
 * filter [kh, kw, ci, co] as packPanels packs it, plus `bias` (8 floats per panel; 0 for none), through
 * a leaky ReLU of slope α (its float32 bits) if `leaky`. `zeros` holds ci zero floats; `block` pixels
 * make one cache block. Pointers are byte addresses in tfjs's memory.
 */
export function conv2d(
  x: usize, w: usize, y: usize, zeros: usize, bias: usize, leaky: i32, alphaBits: i32,
  h: i32, wd: i32, ci: i32, ho: i32, wo: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32,
  block: i32, p0: i32, p1: i32,
): void {
  X = x; WT = w; Y = y; ZEROS = zeros; BIAS = bias;
  LEAKY = leaky != 0; ALPHA = f32x4.splat(reinterpret<f32>(alphaBits));
  H = h; W = wd; CI = ci; HO = ho; WO = wo; CO = co; KH = kh; KW = kw; SH = sh; SW = sw; TOP = top; LEFT = left;
  for (let b0 = p0; b0 < p1; b0 += block) {
    const b1 = min(b0 + block, p1);
    for (let o = 0; o < co; o += 8) {
      for (let t = b0; t < b1; t += 4) {
        const last = min(t + 4, b1) - 1;
        place(0, t, last); place(1, t + 1, last); place(2, t + 2, last); place(3, t + 3, last);
        if (co - o <= 4) narrowTile(t, last - t + 1, o, co - o);
        else tile(t, last - t + 1, o, co - o);
      }
    }
  }
}
