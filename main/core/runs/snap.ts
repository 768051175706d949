// Snapping a run's samples to its palette (config `snap`, `palette`): pixel-art runs draw only the
// colours of their training set. The palette is taken from the training images when the run starts.
import type { LoadedDataset } from '../dataset/load';
import { extractPalette, hexColour, snapToPalette, type Rgb } from '../media/palette';
import type { TrainConfig } from '../ml/config';

/** Colours kept from a training set: enough for a sprite set's shading ramps. */
export const PALETTE_COLOURS = 64;

/** `snap` and `palette` resolved for a new run: 'auto' follows whether the folder is pixel art. */
export function resolveSnap(cfg: TrainConfig, dataset: LoadedDataset): Pick<TrainConfig, 'snap' | 'palette'> {
  const snap = cfg.snap === 'auto' ? (dataset.pixelArt ? 'on' : 'off') : cfg.snap;
  if (snap === 'off' || cfg.palette.length) return { snap, palette: cfg.palette };
  return { snap, palette: datasetPalette(dataset).map(hexColour) };
}

/** The colours of the visible pixels of every training image. */
function datasetPalette(dataset: LoadedDataset): Rgb[] {
  const all = dataset.images.readAll();
  const step = dataset.channels;
  const rgb: number[] = [];
  for (let i = 0; i < all.length; i += step) if (step === 3 || all[i + 3]! >= 128) rgb.push(all[i]!, all[i + 1]!, all[i + 2]!);
  return rgb.length >= 6 ? extractPalette(Uint8Array.from(rgb), PALETTE_COLOURS) : [];
}

/** A sample's pixels (size² RGB or RGBA) snapped to the run's palette when the run says so. */
export function snapSample(pixels: Uint8Array, cfg: Pick<TrainConfig, 'size' | 'snap' | 'palette'>): Uint8Array {
  if (cfg.snap !== 'on' || !cfg.palette?.length) return pixels;
  const palette = cfg.palette.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb);
  const rgba = pixels.length === cfg.size * cfg.size * 4;
  const data = rgba ? pixels : new Uint8Array(cfg.size * cfg.size * 4);
  if (!rgba) for (let i = 0, j = 0; i < pixels.length; i += 3, j += 4) data.set([pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, 255], j);
  const snapped = snapToPalette({ data, width: cfg.size, height: cfg.size }, palette).data;
  if (rgba) return snapped;
  const out = new Uint8Array(pixels.length);
  for (let i = 0, j = 0; i < out.length; i += 3, j += 4) out.set(snapped.subarray(j, j + 3), i);
  return out;
}
