// The full recipe of a generated image: enough to make the same image again.
export interface Recipe {
  prompt: string;
  negative: string;
  seed: number;
  model: 'gan' | 'vae';
  /** The run folder's name. */
  run: string;
  /** SHA-256 of the checkpoint manifest, and its training step. */
  checkpoint: string;
  step: number;
  size: number;
  backend: string;
  appVersion: string;
  /** Seamless tiling the image was drawn with (wrap-around along these axes). */
  tile?: 'x' | 'y' | 'xy';
}

/** The AUTOMATIC1111-style `parameters` text that existing PNG-info readers show. */
export function a1111Parameters(r: Recipe): string {
  const lines = [r.prompt];
  if (r.negative) lines.push(`Negative prompt: ${r.negative}`);
  lines.push(
    [
      `Steps: ${r.step}`,
      `Seed: ${r.seed}`,
      `Size: ${r.size}x${r.size}`,
      `Model hash: ${r.checkpoint.slice(0, 10)}`,
      `Model: ${r.run}`,
      `Sampler: ${r.model}`,
      `Backend: ${r.backend}`,
      `Version: homegrown ${r.appVersion}`,
      ...(r.tile ? [`Tiling: ${r.tile}`] : []),
    ].join(', '),
  );
  return lines.join('\n');
}
