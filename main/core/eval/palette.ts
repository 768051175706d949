// Colour-palette distance: each image set becomes one histogram of its visible pixels over 4 × 4 × 4
// RGB bins (64 colours, each channel cut at 64, 128, 192), normalised to sum 1, and two sets are
// compared by total variation distance: half the L1 difference, 0 for identical palettes, 1 for
// palettes with no colour in common. Pixels under half opacity are not part of the palette.
export const PALETTE_BINS = 64;

/** The normalised histogram of RGB (3 channels) or straight RGBA (4) images. */
export function paletteHistogram(images: Uint8Array[], channels: 3 | 4): Float64Array {
  const hist = new Float64Array(PALETTE_BINS);
  let total = 0;
  for (const img of images) {
    for (let i = 0; i < img.length; i += channels) {
      if (channels === 4 && img[i + 3]! < 128) continue;
      hist[(img[i]! >> 6) * 16 + (img[i + 1]! >> 6) * 4 + (img[i + 2]! >> 6)]!++;
      total++;
    }
  }
  return total ? hist.map((v) => v / total) : hist;
}

/** Total variation distance between two histograms. */
export function paletteDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / 2;
}
