// Pixel art detection: hard edges and few colours. Drawn pixel art has a small palette whose colours
// are each used many times, and alpha that is on or off. Anti-aliased renders and photographs blend
// colours along every edge: each blend is a colour used once or twice (in OpenMoji rendered at 64–72
// px, 61–94 % of the colours), and lies between two main colours (a flat diamond on white: 61–65 %
// of its 31–36 colours); the same symbols as 16-colour sprites: at most 44 %. Pixel art scaled up by a
// whole factor is judged at its own pixel size.

/** Images larger than this (after undoing a whole-factor upscale) are not treated as pixel art. */
export const PIXEL_ART_MAX_SIDE = 256;
const MAX_COLOURS = 256;
/** Share of visible pixels that may be partly transparent. */
const MAX_PARTIAL_ALPHA = 0.05;
/**
 * Colours used at most RARE_USES times may make up at most this share of the colours, once there are
 * more than FEW_COLOURS (in a tiny sprite a detail's colour may well be used once).
 */
const FEW_COLOURS = 32;
const MAX_RARE_COLOURS = 0.6;
const RARE_USES = 2;
/** Colours covering at least this share of the visible pixels are main colours. */
const MAIN_SHARE = 0.01;
const MAX_BLEND_COLOURS = 0.45;
/** How far (RGB distance) a blend may lie from the straight line between two main colours. */
const BLEND_DISTANCE = 6;

export interface PixelArtFacts {
  pixelArt: boolean;
  /** The whole factor the image was scaled up by (1 when it was not). */
  block: number;
  colours: number;
  /** Share of the colours used at most twice: one-off blends along anti-aliased edges. */
  rareColours: number;
  /** Share of the colours that are mixes of two main colours: the levels of an anti-aliased edge. */
  blendColours: number;
}

/** Judges straight RGBA bytes of a width × height image. */
export function detectPixelArt(rgba: Uint8Array, width: number, height: number): PixelArtFacts {
  const block = upscaleFactor(rgba, width, height);
  const w = width / block;
  const h = height / block;
  const at = (x: number, y: number) => (y * block * width + x * block) * 4;
  const counts = new Map<number, number>();
  let visible = 0;
  let partial = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = at(x, y);
      const a = rgba[i + 3]!;
      if (a === 0) continue;
      visible++;
      if (a < 255) partial++;
      const key = ((rgba[i]! << 16) | (rgba[i + 1]! << 8) | rgba[i + 2]!) * 2 + (a === 255 ? 1 : 0);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let rare = 0;
  for (const n of counts.values()) if (n <= RARE_USES) rare++;
  const rareColours = counts.size ? rare / counts.size : 0;
  const blendColours = counts.size <= MAX_COLOURS ? blendShare(counts, visible) : 1;
  const pixelArt =
    Math.max(w, h) <= PIXEL_ART_MAX_SIDE &&
    visible > 0 &&
    partial <= MAX_PARTIAL_ALPHA * visible &&
    counts.size <= MAX_COLOURS &&
    (counts.size <= FEW_COLOURS || rareColours <= MAX_RARE_COLOURS) &&
    blendColours <= MAX_BLEND_COLOURS;
  return { pixelArt, block, colours: counts.size, rareColours, blendColours };
}

/** The largest factor from 8 down to 2 by which every block of pixels is one colour; else 1. */
function upscaleFactor(rgba: Uint8Array, width: number, height: number): number {
  for (let k = 8; k >= 2; k--) {
    if (width % k || height % k) continue;
    let same = true;
    for (let y = 0; y < height && same; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const j = ((y - (y % k)) * width + (x - (x % k))) * 4;
        if (rgba[i] !== rgba[j] || rgba[i + 1] !== rgba[j + 1] || rgba[i + 2] !== rgba[j + 2] || rgba[i + 3] !== rgba[j + 3]) {
          same = false;
          break;
        }
      }
    }
    if (same) return k;
  }
  return 1;
}

/**
 * Straight RGBA width × height → size² straight RGBA without blurring: the centre square (crop) or
 * the whole image on a transparent square (pad), then nearest-neighbour up or an area average (box)
 * down, averaged premultiplied so transparent pixels lend no colour.
 */
export function squarePixelArt(rgba: Uint8Array, width: number, height: number, size: number, fit: 'crop' | 'pad'): Uint8Array {
  const side = fit === 'crop' ? Math.min(width, height) : Math.max(width, height);
  const dx = Math.floor((width - side) / 2);
  const dy = Math.floor((height - side) / 2);
  const square = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [sx, sy] = [x + dx, y + dy];
      if (sx >= 0 && sy >= 0 && sx < width && sy < height)
        square.set(rgba.subarray((sy * width + sx) * 4, (sy * width + sx + 1) * 4), (y * side + x) * 4);
    }
  }
  return side <= size ? nearest(square, side, size) : box(square, side, size);
}

function nearest(src: Uint8Array, side: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const map = Array.from({ length: size }, (_, t) => Math.floor(((t + 0.5) * side) / size));
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      out.set(src.subarray((map[y]! * side + map[x]!) * 4, (map[y]! * side + map[x]! + 1) * 4), (y * size + x) * 4);
  return out;
}

/** Each target pixel: the coverage-weighted mean of the source pixels under it. */
function box(src: Uint8Array, side: number, size: number): Uint8Array {
  const scale = side / size;
  const weights = Array.from({ length: size }, (_, t) => {
    const [from, to] = [t * scale, (t + 1) * scale];
    const taps: [number, number][] = [];
    for (let s = Math.floor(from); s < Math.min(side, Math.ceil(to)); s++) taps.push([s, Math.min(to, s + 1) - Math.max(from, s)]);
    return taps;
  });
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let [r, g, b, a, area] = [0, 0, 0, 0, 0];
      for (const [sy, wy] of weights[y]!) {
        for (const [sx, wx] of weights[x]!) {
          const i = (sy * side + sx) * 4;
          const w = wx * wy;
          const alpha = src[i + 3]! * w;
          r += src[i]! * alpha;
          g += src[i + 1]! * alpha;
          b += src[i + 2]! * alpha;
          a += alpha;
          area += w;
        }
      }
      const o = (y * size + x) * 4;
      if (a > 0) out.set([Math.round(r / a), Math.round(g / a), Math.round(b / a)], o);
      out[o + 3] = Math.round(a / area);
    }
  }
  return out;
}

/** Straight RGBA over white, as RGB (how flattened training images look). */
export function overWhite(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3]! / 255;
    for (let c = 0; c < 3; c++) out[j + c] = Math.round(rgba[i + c]! * a + 255 * (1 - a));
  }
  return out;
}

/** Of the minor colours (key: rgb·2 + opaque), the share that lie between two main colours. */
function blendShare(counts: Map<number, number>, visible: number): number {
  const rgb = (key: number) => [(key >> 17) & 255, (key >> 9) & 255, (key >> 1) & 255] as const;
  const main: (readonly [number, number, number])[] = [];
  const minor: (readonly [number, number, number])[] = [];
  for (const [key, n] of counts) (n >= Math.max(4, MAIN_SHARE * visible) ? main : minor).push(rgb(key));
  let blends = 0;
  for (const c of minor) {
    let found = false;
    for (let i = 0; i < main.length && !found; i++) {
      for (let j = i + 1; j < main.length && !found; j++) found = between(c, main[i]!, main[j]!);
    }
    if (found) blends++;
  }
  return counts.size ? blends / counts.size : 0;
}

/** Whether c lies near the segment from a to b, clearly inside it. */
function between(c: readonly number[], a: readonly number[], b: readonly number[]): boolean {
  const d = [b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!];
  const len2 = d[0]! ** 2 + d[1]! ** 2 + d[2]! ** 2;
  if (len2 < (4 * BLEND_DISTANCE) ** 2) return false;
  const t = ((c[0]! - a[0]!) * d[0]! + (c[1]! - a[1]!) * d[1]! + (c[2]! - a[2]!) * d[2]!) / len2;
  if (t < 0.1 || t > 0.9) return false;
  let off = 0;
  for (let k = 0; k < 3; k++) off += (c[k]! - (a[k]! + t * d[k]!)) ** 2;
  return off <= BLEND_DISTANCE ** 2;
}
