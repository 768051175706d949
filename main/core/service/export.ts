// Export through the export engine's batch API (main/core/export/batch.ts): the chosen generations,
// re-encoded with their recipe, into a folder or one zip, with a manifest; the store records the
// export and each file's source generation.
import path from 'node:path';
import { exportBatch } from '../export/batch';
import type { Store } from '../store';

export interface ExportInput {
  generationIds: number[];
  folder: string;
  zip: boolean;
  template?: string;
  format?: 'png' | 'webp' | 'jpeg';
  overwrite: boolean;
}

/** With `zip`, `folder` may name the zip itself (ending .zip); otherwise the zip goes inside it. */
export function zipTarget(folder: string, now = new Date()): string {
  if (folder.toLowerCase().endsWith('.zip')) return folder;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return path.join(folder, `homegrown-${stamp}.zip`);
}

export async function exportImages(store: Store, input: ExportInput): Promise<{ files: string[]; count: number; target: string }> {
  const where = input.zip ? { zip: zipTarget(path.resolve(input.folder)) } : { folder: path.resolve(input.folder) };
  const result = await exportBatch(store, {
    generationIds: input.generationIds,
    ...where,
    ...(input.template !== undefined ? { template: input.template } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    overwrite: input.overwrite,
  });
  return {
    files: result.zip ? [result.zip] : result.files.map((name) => path.join(result.target, name)),
    count: result.files.length,
    target: result.target,
  };
}
