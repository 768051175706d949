// The full recipe of a generated image: enough to make the same image again.

/** Seamless tiling: the image wraps around along these axes. */
export const TILE_MODES = ['x', 'y', 'xy'] as const;
export type TileMode = (typeof TILE_MODES)[number];

export interface Recipe {
  prompt: string;
  negative: string;
  seed: number;
  model: 'gan' | 'vae' | 'ae' | 'flow';
  /** The run folder's name. */
  run: string;
  /** SHA-256 of the checkpoint manifest, and its training step. */
  checkpoint: string;
  step: number;
  /** The size the model draws at. */
  size: number;
  /** Export: nearest-neighbour upscaling applied after drawing; the file is size × upscale pixels. */
  upscale?: number;
  backend: string;
  /** The GPU that drew it, on the webgpu backend: GPUs do not all promise the same bits. */
  adapter?: string;
  appVersion: string;
  /** Seamless tiling the image was drawn with (wrap-around along these axes). */
  tile?: TileMode;
  /** Image-to-image (edit): SHA-256 of the source image file, the prompt it was encoded under, and how far the output departs from it (0–1). */
  source?: string;
  sourcePrompt?: string;
  strength?: number;
  /** In-betweens (flow model): SHA-256 of the second source frame; `source` is the first. */
  toSource?: string;
  /** Animations: the frame count, and which frame (from 0) an image is. */
  frames?: number;
  frame?: number;
  /** Latent walks start at `prompt`/`seed` and end at `toPrompt`/`toSeed`. */
  toPrompt?: string;
  toSeed?: number;
}

/** The AUTOMATIC1111-style `parameters` text that existing PNG-info readers show. */
export function a1111Parameters(r: Recipe): string {
  const lines = [r.prompt];
  if (r.negative) lines.push(`Negative prompt: ${r.negative}`);
  lines.push(
    [
      `Steps: ${r.step}`,
      `Seed: ${r.seed}`,
      `Size: ${r.size * (r.upscale ?? 1)}x${r.size * (r.upscale ?? 1)}`,
      `Model hash: ${r.checkpoint.slice(0, 10)}`,
      `Model: ${r.run}`,
      `Sampler: ${r.model}`,
      `Backend: ${r.backend}`,
      ...(r.adapter ? [`Adapter: ${r.adapter.replace(/,/g, ';')}`] : []),
      `Version: homegrown ${r.appVersion}`,
      ...optionalParameters(r),
    ].join(', '),
  );
  return lines.join('\n');
}

/** A1111 spells image-to-image strength "Denoising strength"; the rest are Homegrown's own. */
function optionalParameters(r: Recipe): string[] {
  const out: string[] = [];
  if (r.upscale !== undefined && r.upscale > 1) out.push(`Upscale: ${r.upscale}x nearest from ${r.size}x${r.size}`);
  if (r.tile) out.push(`Tiling: ${r.tile}`);
  if (r.strength !== undefined) out.push(`Denoising strength: ${r.strength}`);
  if (r.source) out.push(`Source hash: ${r.source.slice(0, 10)}`);
  if (r.toPrompt !== undefined) out.push(`Walk to: "${r.toPrompt.replace(/"/g, "'")}"`);
  if (r.toSeed !== undefined) out.push(`Walk to seed: ${r.toSeed}`);
  if (r.frames !== undefined) out.push(r.frame === undefined ? `Frames: ${r.frames}` : `Frame: ${r.frame + 1}/${r.frames}`);
  return out;
}
