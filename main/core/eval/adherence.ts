// Prompt adherence for `homegrown eval`: which named colour and which shape does a generated image show?
// The foreground is whatever differs from the border colour; its median colour names the colour, and the
// shape is the template (from the dataset's own geometry) that overlaps it best. Images that show no
// single coherent shape (blank, noise, mush) get null rather than a lucky guess.
import { COLOURS, COLOUR_NAMES, SHAPE_NAMES, shapePolygon, type Point, type Shape } from './shapes-dataset';

export interface Classification {
  colour: string | null;
  shape: string | null;
  confidence: {
    /** 1 at the named colour, 0 at the largest distance still accepted. */
    colour: number;
    /** Intersection over union of the foreground with the best-fitting shape template. */
    shape: number;
  };
  /** Fraction of the image taken by the foreground blob. */
  foreground: number;
}

const WORKING_SIZE = 32; // larger images are block-averaged down: enough detail, bounded cost, less noise
const MIN_CONTRAST = 40; // RGB distance from the background below which a pixel is background
const MIN_SIGNAL_TO_NOISE = 3; // the shape's contrast over the background's own variation
const MAX_COLOUR_DISTANCE = 110; // from the nearest named colour; mid-grey (noise) is farther from all
const MIN_COHERENCE = 0.6; // share of foreground pixels that must be near its median colour
const MIN_SHAPE_IOU = 0.6;
const MIN_FOREGROUND = 0.01;
const MAX_FOREGROUND = 0.6;
const BLUR_LEVELS = 4; // 3×3 box passes tried on the templates, to match blurry generations
const ROTATION_STEP = (10 * Math.PI) / 180;
// Rotations that map each shape onto itself bound the angles worth trying.
const SYMMETRY: Record<Shape, number> = { circle: 0, square: Math.PI / 2, triangle: (2 * Math.PI) / 3, cross: Math.PI / 2 };

/** Classifies an RGB or RGBA image given as HWC bytes of a `size` × `size` square. */
export function classifyImage(pixels: Uint8Array, size: number): Classification {
  const channels = pixels.length / (size * size);
  if (!Number.isInteger(size) || (channels !== 3 && channels !== 4)) {
    throw new Error(`expected ${size}×${size} RGB or RGBA pixels, got ${pixels.length} bytes`);
  }
  const [image, side] = toWorking(pixels, size, channels);
  const border = borderIndices(side);
  const bg = medianColour(image, border);
  const dist = new Float32Array(side * side).map((_, i) => colourDistance(image, i, bg));
  // Half of the strong foreground contrast: the half-maximum edge keeps a blurred shape's area.
  const threshold = Math.max(MIN_CONTRAST, 0.5 * percentile([...dist], 0.98));
  const mask = fillHoles(largestComponent(dist, threshold, side), side);
  const members = [...mask.keys()].filter((i) => mask[i]);
  // Only pixels past the threshold name the colour, so blurred edges do not pull it towards the background.
  const solid = members.filter((i) => dist[i]! > threshold);
  const floor = percentile(
    border.map((i) => dist[i]!),
    0.5,
  );
  const peak = percentile(
    solid.map((i) => dist[i]!),
    0.9,
  );
  const foreground = members.length / mask.length;
  if (foreground < MIN_FOREGROUND || foreground > MAX_FOREGROUND || peak < MIN_SIGNAL_TO_NOISE * floor) {
    return { colour: null, shape: null, confidence: { colour: 0, shape: 0 }, foreground };
  }

  const [colour, colourConfidence] = nameColour(image, solid);
  // Coverage of each pixel by the shape, from 0 at the noise floor to 1 at the shape's full contrast,
  // kept within two pixels of the blob so that background noise elsewhere adds nothing.
  const nearBlob = boxBlur(boxBlur(Float32Array.from(mask), side, 1), side, 1);
  const coverage = dist.map((d, i) => (nearBlob[i]! > 0 ? Math.min(1, Math.max(0, (d - floor) / (peak - floor))) : 0));
  const [shape, iou] = bestShape(coverage, side);
  return { colour, shape: iou >= MIN_SHAPE_IOU ? shape : null, confidence: { colour: colourConfidence, shape: iou }, foreground };
}

/** The named colour nearest the median of `indices`, or null when they disagree or match none. */
function nameColour(image: Float32Array, indices: number[]): [string | null, number] {
  const median = medianColour(image, indices);
  const near = indices.filter((i) => colourDistance(image, i, median) < MAX_COLOUR_DISTANCE / 2);
  if (near.length < MIN_COHERENCE * indices.length) return [null, 0];
  let best: [string | null, number] = [null, 0];
  for (const name of COLOUR_NAMES) {
    const d = Math.hypot(...median.map((v, c) => v - COLOURS[name][c]!));
    if (d <= MAX_COLOUR_DISTANCE && 1 - d / MAX_COLOUR_DISTANCE > best[1]) best = [name, 1 - d / MAX_COLOUR_DISTANCE];
  }
  return best;
}

/** RGB floats, block-averaged to the working size when the image is a multiple of it, then 3×3-smoothed. */
function toWorking(pixels: Uint8Array, size: number, channels: number): [Float32Array, number] {
  const factor = size > WORKING_SIZE && size % WORKING_SIZE === 0 ? size / WORKING_SIZE : 1;
  const side = size / factor;
  const out = new Float32Array(side * side * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (Math.floor(y / factor) * side + Math.floor(x / factor)) * 3;
      for (let c = 0; c < 3; c++) out[o + c]! += pixels[(y * size + x) * channels + c]! / (factor * factor);
    }
  }
  return [boxBlur(out, side, 3), side];
}

/** One 3×3 mean pass (separable) over a side × side image with interleaved channels, edges clamped. */
function boxBlur(values: Float32Array, side: number, channels: number): Float32Array {
  const row = side * channels;
  const across = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = Math.floor(i / channels) % side;
    across[i] = (values[x > 0 ? i - channels : i]! + values[i]! + values[x < side - 1 ? i + channels : i]!) / 3;
  }
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = (across[i >= row ? i - row : i]! + across[i]! + across[i < values.length - row ? i + row : i]!) / 3;
  }
  return out;
}

type Rgb = [number, number, number];

const colourDistance = (image: Float32Array, i: number, c: readonly number[]) =>
  Math.hypot(image[i * 3]! - c[0]!, image[i * 3 + 1]! - c[1]!, image[i * 3 + 2]! - c[2]!);

function borderIndices(side: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < side; i++) out.push(i, (side - 1) * side + i, i * side, i * side + side - 1);
  return [...new Set(out)];
}

function medianColour(image: Float32Array, indices: number[]): Rgb {
  const channel = (c: number) =>
    percentile(
      indices.map((i) => image[i * 3 + c]!),
      0.5,
    );
  return [channel(0), channel(1), channel(2)];
}

function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
}

/** The largest 4-connected set of pixels above `threshold`: one shape, without stray speckles. */
function largestComponent(dist: Float32Array, threshold: number, side: number): Uint8Array {
  const label = new Int32Array(side * side);
  let bestLabel = 0;
  let bestCount = 0;
  let next = 0;
  for (let start = 0; start < label.length; start++) {
    if (label[start] || dist[start]! <= threshold) continue;
    next++;
    const count = flood(start, next, label, side, (i) => dist[i]! > threshold);
    if (count > bestCount) [bestLabel, bestCount] = [next, count];
  }
  return Uint8Array.from(label, (l) => (l === bestLabel && bestCount > 0 ? 1 : 0));
}

/** Background not reachable from the border belongs to the shape (noise specks inside it). */
function fillHoles(mask: Uint8Array, side: number): Uint8Array {
  const outside = new Int32Array(side * side);
  for (const i of borderIndices(side)) {
    if (!mask[i] && !outside[i]) flood(i, 1, outside, side, (j) => !mask[j]);
  }
  return Uint8Array.from(outside, (o) => (o ? 0 : 1));
}

function flood(start: number, id: number, label: Int32Array, side: number, inside: (i: number) => boolean): number {
  const stack = [start];
  label[start] = id;
  let count = 0;
  while (stack.length) {
    const i = stack.pop()!;
    count++;
    const x = i % side;
    for (const j of [x > 0 ? i - 1 : -1, x < side - 1 ? i + 1 : -1, i - side, i + side]) {
      if (j >= 0 && j < label.length && !label[j] && inside(j)) {
        label[j] = id;
        stack.push(j);
      }
    }
  }
  return count;
}

/**
 * Total coverage and its centroid do not change under blur, so every shape's template is placed at the
 * centroid with the same area, rotated and blurred in steps, and compared by soft intersection over union.
 */
function bestShape(coverage: Float32Array, side: number): [Shape, number] {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  coverage.forEach((a, i) => {
    mass += a;
    cx += a * ((i % side) + 0.5);
    cy += a * (Math.floor(i / side) + 0.5);
  });
  cx /= mass;
  cy /= mass;
  let best: [Shape, number] = [SHAPE_NAMES[0], 0];
  for (const shape of SHAPE_NAMES) {
    const scale = Math.sqrt(mass / polygonArea(shapePolygon(shape)));
    // The best angle hardly depends on the blur: find it at a middling blur, then try every blur there.
    let sharpest: Float32Array = new Float32Array(0);
    let angleIoU = -1;
    const rotations = Math.max(1, Math.round(SYMMETRY[shape] / ROTATION_STEP));
    for (let r = 0; r < rotations; r++) {
      const poly = shapePolygon(shape, r * ROTATION_STEP).map(([x, y]): Point => [cx + scale * x, cy + scale * y]);
      const template = rasterise(poly, side);
      const iou = softIoU(coverage, boxBlur(boxBlur(template, side, 1), side, 1));
      if (iou > angleIoU) [sharpest, angleIoU] = [template, iou];
    }
    let template = sharpest;
    for (let level = 1; level <= BLUR_LEVELS; level++) {
      template = boxBlur(template, side, 1);
      const iou = softIoU(coverage, template);
      if (iou > best[1]) best = [shape, iou];
    }
  }
  return best;
}

function softIoU(a: Float32Array, b: Float32Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += Math.min(a[i]!, b[i]!);
    union += Math.max(a[i]!, b[i]!);
  }
  return union > 0 ? inter / union : 0;
}

/** 1 where a pixel centre lies inside the polygon (even-odd scanline fill), else 0. */
function rasterise(poly: Point[], side: number): Float32Array {
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    const yc = y + 0.5;
    const crossings: number[] = [];
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i]!;
      const [xj, yj] = poly[j]!;
      if (yi > yc !== yj > yc) crossings.push(xi + ((xj - xi) * (yc - yi)) / (yj - yi));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const to = Math.min(side - 1, Math.ceil(crossings[k + 1]! - 0.5) - 1);
      for (let x = from; x <= to; x++) out[y * side + x] = 1;
    }
  }
  return out;
}

function polygonArea(poly: Point[]): number {
  let a = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) a += poly[j]![0] * poly[i]![1] - poly[i]![0] * poly[j]![1];
  return Math.abs(a) / 2;
}

export interface AdherenceSample {
  pixels: Uint8Array;
  size: number;
  colour: string;
  shape: string;
}

export interface AdherenceScore {
  n: number;
  colourAccuracy: number;
  shapeAccuracy: number;
  bothAccuracy: number;
  /** Keyed by the prompt caption, e.g. "red, circle". */
  perCombo: Record<string, { n: number; colourAccuracy: number; shapeAccuracy: number; bothAccuracy: number }>;
}

/** Fraction of samples whose image shows the requested colour, shape, and both; overall and per prompt. */
export function scoreAdherence(samples: AdherenceSample[]): AdherenceScore {
  const tally = (list: { colour: boolean; shape: boolean }[]) => ({
    n: list.length,
    colourAccuracy: mean(list.map((r) => r.colour)),
    shapeAccuracy: mean(list.map((r) => r.shape)),
    bothAccuracy: mean(list.map((r) => r.colour && r.shape)),
  });
  const groups = new Map<string, { colour: boolean; shape: boolean }[]>();
  const all = samples.map((s) => {
    const c = classifyImage(s.pixels, s.size);
    const result = { colour: c.colour === s.colour, shape: c.shape === s.shape };
    const key = `${s.colour}, ${s.shape}`;
    groups
      .set(key, groups.get(key) ?? [])
      .get(key)!
      .push(result);
    return result;
  });
  return { ...tally(all), perCombo: Object.fromEntries([...groups].map(([k, list]) => [k, tally(list)])) };
}

const mean = (flags: boolean[]) => (flags.length ? flags.filter(Boolean).length / flags.length : 0);
