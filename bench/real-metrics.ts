// Simple image-set measures for judging samples against a real folder, before `homegrown eval` exists.
// Images are straight RGBA bytes (RGB sets get alpha 255); colour is composited over mid grey.
//   hf:        mean squared difference between an image and its 3×3 box blur (fine detail and noise)
//   chromaHf:  the same on the two opponent-colour channels r−g and (r+g)/2−b (rainbow speckle)
//   palette:   total-variation distance between alpha-weighted 8×8×8 colour histograms (0 same, 1 disjoint)
//   diversity: mean pairwise distance between images of one prompt
export interface ImageSet {
  images: Uint8Array[];
  size: number;
}

function composite(rgba: Uint8Array): Float32Array {
  const out = new Float32Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    const a = rgba[i + 3]! / 255;
    for (let c = 0; c < 3; c++) out[j + c] = (rgba[i + c]! / 255) * a + 0.5 * (1 - a);
  }
  return out;
}

function boxResidualEnergy(plane: Float32Array, size: number): number {
  let sum = 0;
  for (let y = 1; y < size - 1; y++)
    for (let x = 1; x < size - 1; x++) {
      let blur = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) blur += plane[(y + dy) * size + x + dx]!;
      sum += (plane[y * size + x]! - blur / 9) ** 2;
    }
  return sum / (size - 2) ** 2;
}

function planes(rgb: Float32Array, size: number, fn: (r: number, g: number, b: number) => number[]): Float32Array[] {
  const n = size * size;
  const first = fn(0, 0, 0).length;
  const out = Array.from({ length: first }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) fn(rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!).forEach((v, k) => (out[k]![i] = v));
  return out;
}

function meanEnergy(set: ImageSet, fn: (r: number, g: number, b: number) => number[]): number {
  let total = 0;
  for (const img of set.images) {
    const ps = planes(composite(img), set.size, fn);
    total += ps.reduce((s, p) => s + boxResidualEnergy(p, set.size), 0) / ps.length;
  }
  return total / set.images.length;
}

export const hf = (set: ImageSet) => meanEnergy(set, (r, g, b) => [r, g, b]);
export const chromaHf = (set: ImageSet) => meanEnergy(set, (r, g, b) => [r - g, (r + g) / 2 - b]);

export function histogram(set: ImageSet, levels = 8): Float64Array {
  const h = new Float64Array(levels ** 3);
  for (const img of set.images)
    for (let i = 0; i < img.length; i += 4) {
      const q = (v: number) => Math.min(levels - 1, Math.floor((v / 256) * levels));
      h[(q(img[i]!) * levels + q(img[i + 1]!)) * levels + q(img[i + 2]!)]! += img[i + 3]! / 255;
    }
  const total = h.reduce((s, v) => s + v, 0) || 1;
  return h.map((v) => v / total);
}

export function palette(a: ImageSet, b: ImageSet): number {
  const [ha, hb] = [histogram(a), histogram(b)];
  return ha.reduce((s, v, i) => s + Math.abs(v - hb[i]!), 0) / 2;
}

export function diversity(set: ImageSet): number {
  const xs = set.images.map((img) => Float32Array.from(img, (v) => v / 255));
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) {
      let d = 0;
      for (let k = 0; k < xs[i]!.length; k++) d += (xs[i]![k]! - xs[j]![k]!) ** 2;
      sum += Math.sqrt(d / xs[i]!.length);
      pairs++;
    }
  return pairs ? sum / pairs : 0;
}
