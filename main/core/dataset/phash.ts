// Perceptual hash (DCT pHash) and near-duplicate groups. The hash sees structure in grey levels only, so
// a red and a blue circle hash alike; the mean colour is compared too, so that recoloured variants (which
// a colour-conditioned dataset is full of) are not called duplicates. Sprites of one game share a body
// plan, palette and empty background, so different units hash alike as well (49 units of a real
// folder fell into one group): a 32×32 thumbnail decoded from the file must also agree pixel by pixel,
// but for a few pixels. A unit's own helmet or weapon is a handful of clearly different pixels; a
// re-saved, recompressed or integer-upscaled copy differs by resampling noise only.

export interface ImageSignature {
  /** 64-bit DCT hash, 16 hex digits. */
  hash: string;
  /** Mean sRGB colour over white. */
  colour: [number, number, number];
  /** DETAIL_SIDE² RGB over white, row-major: the stricter, pixel-level check. */
  detail: Uint8Array;
}

/** Hashes at most this many bits apart are near-duplicates (resized, recompressed, lightly edited). */
export const NEAR_DUPLICATE_BITS = 8;
/** … and their mean colours differ by at most this much in every channel… */
export const NEAR_DUPLICATE_COLOUR = 24;
/** … and at most this many pixels of their DETAIL_SIDE² thumbnails differ clearly. */
export const NEAR_DUPLICATE_PIXELS = 4;
const LEADER_CANDIDATES = 8;
/** The side of the thumbnail (decoded from the file, not from the hash's) of the pixel check. */
export const DETAIL_SIDE = 32;
/** A channel differing by more than this is a different pixel, not resampling or compression noise. */
const PIXEL_DIFFERENCE = 56;

const GRID = 32; // the image is reduced to 32×32 grey before the DCT
const LOW = 8; // the 8×8 lowest frequencies make the 64 bits
const COS = Array.from({ length: LOW }, (_, u) =>
  Float64Array.from({ length: GRID }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * GRID))),
);

/** Signature of a side×side RGBA image (side a multiple of 32) and its DETAIL_SIDE² RGBA thumbnail. */
export function signatureOf(rgba: Uint8Array, side: number, detailRgba: Uint8Array): ImageSignature {
  const grey = new Float64Array(GRID * GRID);
  const colour: [number, number, number] = [0, 0, 0];
  const cell = side / GRID;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 4;
      const a = rgba[i + 3]! / 255;
      const [r, g, b] = [0, 1, 2].map((c) => rgba[i + c]! * a + 255 * (1 - a));
      colour[0] += r!;
      colour[1] += g!;
      colour[2] += b!;
      grey[Math.floor(y / cell) * GRID + Math.floor(x / cell)]! += 0.299 * r! + 0.587 * g! + 0.114 * b!;
    }
  }
  const coefficients = lowFrequencies(grey);
  // The DC term only measures brightness; the median of the others is the threshold.
  const median = [...coefficients.slice(1)].sort((p, q) => p - q)[(LOW * LOW - 1) >> 1];
  let bits = 0n;
  for (const c of coefficients) bits = (bits << 1n) | (c > median! ? 1n : 0n);
  const pixels = side * side;
  return {
    hash: bits.toString(16).padStart(16, '0'),
    colour: colour.map((sum) => Math.round(sum / pixels)) as [number, number, number],
    detail: overWhite(detailRgba),
  };
}

function overWhite(rgba: Uint8Array): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[j + c] = Math.round(rgba[i + c]! * a + 255 * (1 - a));
  }
  return rgb;
}

export function hammingDistance(a: string, b: string): number {
  const [x, y] = [halves(a), halves(b)];
  return popcount(x[0] ^ y[0]) + popcount(x[1] ^ y[1]);
}

export function areNearDuplicates(a: ImageSignature, b: ImageSignature): boolean {
  return near(parse(a), parse(b));
}

/**
 * Groups of near-duplicate images (two or more paths each), sorted. Bounded work: by pigeonhole, two
 * hashes within NEAR_DUPLICATE_BITS agree exactly on one of NEAR_DUPLICATE_BITS + 1 bit slices, so an
 * image is compared only with images sharing a slice, and there only with one leader per group.
 */
export function nearDuplicateGroups(images: { path: string; signature: ImageSignature }[]): string[][] {
  const parent = images.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const parsed = images.map((image) => parse(image.signature));
  const slices = NEAR_DUPLICATE_BITS + 1;
  for (let s = 0; s < slices; s++) {
    const [from, to] = [Math.floor((s * 64) / slices), Math.floor(((s + 1) * 64) / slices)];
    const buckets = new Map<number, number[]>();
    images.forEach((_, i) => {
      const key = bitRange(parsed[i]!.bits, from, to);
      const leaders = buckets.get(key) ?? [];
      // Already joined (through another slice) needs no second look at the pixels.
      const matches = leaders.filter((l) => find(l) === find(i) || near(parsed[l]!, parsed[i]!));
      for (const l of matches) parent[find(i)] = find(l);
      if (matches.length === 0) leaders.push(i);
      buckets.set(key, leaders);
    });
  }
  const groups = new Map<number, number[]>();
  images.forEach((_, i) => {
    const group = groups.get(find(i));
    if (group) group.push(i);
    else groups.set(find(i), [i]);
  });
  const byPath = (a: number, b: number) => (images[a]!.path < images[b]!.path ? -1 : 1);
  return [...groups.values()]
    .flatMap((g) => (g.length > 1 ? aroundLeaders(g.sort(byPath), parsed) : []))
    .map((g) => g.map((i) => images[i]!.path))
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/**
 * Splits a chain (a ≈ b ≈ c with a ≉ c: a recompressed copy can sit between two different sprites)
 * into groups whose every member is near the group's leader; singletons are dropped. The leader is
 * the one of the first LEADER_CANDIDATES members near the most others (bounded work on big groups).
 */
function aroundLeaders(members: number[], parsed: Parsed[]): number[][] {
  const out: number[][] = [];
  let rest = members;
  while (rest.length > 1) {
    const nearOf = (l: number) => rest.filter((i) => i === l || near(parsed[l]!, parsed[i]!));
    const group = rest
      .slice(0, LEADER_CANDIDATES)
      .map(nearOf)
      .reduce((best, g) => (g.length > best.length ? g : best));
    if (group.length > 1) out.push(group);
    const taken = new Set(group);
    rest = rest.filter((i) => !taken.has(i));
  }
  return out;
}

// A signature in numbers, so that comparing two costs a few integer operations.
interface Parsed {
  bits: [number, number];
  colour: [number, number, number];
  detail: Uint8Array;
}

function parse(signature: ImageSignature): Parsed {
  return { bits: halves(signature.hash), colour: signature.colour, detail: signature.detail };
}

function near(a: Parsed, b: Parsed): boolean {
  return (
    Math.abs(a.colour[0] - b.colour[0]) <= NEAR_DUPLICATE_COLOUR &&
    Math.abs(a.colour[1] - b.colour[1]) <= NEAR_DUPLICATE_COLOUR &&
    Math.abs(a.colour[2] - b.colour[2]) <= NEAR_DUPLICATE_COLOUR &&
    popcount(a.bits[0] ^ b.bits[0]) + popcount(a.bits[1] ^ b.bits[1]) <= NEAR_DUPLICATE_BITS &&
    samePixels(a.detail, b.detail)
  );
}

/** Whether at most NEAR_DUPLICATE_PIXELS pixels of two detail thumbnails differ clearly. */
function samePixels(a: Uint8Array, b: Uint8Array): boolean {
  let differing = 0;
  for (let i = 0; i < a.length; i += 3) {
    const d = Math.max(Math.abs(a[i]! - b[i]!), Math.abs(a[i + 1]! - b[i + 1]!), Math.abs(a[i + 2]! - b[i + 2]!));
    if (d > PIXEL_DIFFERENCE && ++differing > NEAR_DUPLICATE_PIXELS) return false;
  }
  return true;
}

/** A 16-hex-digit hash as its high and low 32-bit halves. */
function halves(hash: string): [number, number] {
  return [parseInt(hash.slice(0, 8), 16), parseInt(hash.slice(8), 16)];
}

/** Bits from..to (exclusive, counted from the most significant) of a hash, as a number. */
function bitRange([hi, lo]: [number, number], from: number, to: number): number {
  let value = 0;
  for (let bit = from; bit < to; bit++) {
    const word = bit < 32 ? hi : lo;
    value = value * 2 + ((word >>> (31 - (bit % 32))) & 1);
  }
  return value;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The LOW×LOW lowest-frequency DCT-II coefficients of the GRID×GRID grey image, row-major. */
function lowFrequencies(grey: Float64Array): number[] {
  const rows = Array.from({ length: LOW }, (_, v) =>
    Float64Array.from({ length: GRID }, (_, x) => {
      let sum = 0;
      for (let y = 0; y < GRID; y++) sum += COS[v]![y]! * grey[y * GRID + x]!;
      return sum;
    }),
  );
  const out: number[] = [];
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let sum = 0;
      for (let x = 0; x < GRID; x++) sum += COS[u]![x]! * rows[v]![x]!;
      out.push(sum);
    }
  }
  return out;
}
