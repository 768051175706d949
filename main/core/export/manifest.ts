// The manifest that goes with every batch export: one row per file with its full recipe, as JSON for
// tools and as CSV (Excel dialect) for spreadsheets.
import { formatCsv } from '#shared/prompt/csv';
import type { ExportedRecipe } from '../media/recipe-meta';

export const MANIFEST_FILES = ['manifest.json', 'manifest.csv'] as const;

export interface ManifestEntry {
  file: string;
  generationId: number | null;
  sourcePath: string | null;
  recipe: ExportedRecipe | null;
  /** The training file this image nearly copies (export flagged it). */
  nearCopyOf?: string;
}

const COLUMNS = ['prompt', 'negative', 'seed', 'model', 'run', 'step', 'size', 'checkpoint', 'backend', 'appVersion'] as const;

export function manifestJson(entries: readonly ManifestEntry[]): string {
  return `${JSON.stringify({ files: entries }, null, 2)}\n`;
}

export function manifestCsv(entries: readonly ManifestEntry[]): string {
  const header = ['file', 'generationId', 'sourcePath', ...COLUMNS, 'nearCopyOf'];
  const rows = entries.map((e) => [
    e.file,
    e.generationId === null ? '' : String(e.generationId),
    e.sourcePath ?? '',
    ...COLUMNS.map((c) => (e.recipe ? String(e.recipe[c]) : '')),
    e.nearCopyOf ?? '',
  ]);
  return formatCsv([header, ...rows]);
}
