// Batch export: the selected images, re-encoded with their recipe inside, named from a template and
// written to a folder or a zip together with a manifest; the export and each file's source generation
// are recorded in the store (lineage).
import path from 'node:path';
import type { Store } from '../store';
import type { ExportKind } from '../store/exports';
import { MANIFEST_FILES, manifestCsv, manifestJson, type ManifestEntry } from './manifest';
import { applyOps, exportedRecipe, hasOps, resolveOps, type ImageOps } from './image-ops';
import { encodeWithRecipe } from '../media/recipe-meta';
import { decodeRgba, rgbaPipeline } from './rgba';
import { parseExportRequest, type ExportRequestInput } from './request';
import { selectItems, type ExportItem } from './selection';
import { uniqueNames } from './file-names';
import { assertWritable, writeFolder, writeZip, type OutputFile } from './write-output';

export interface ExportProgress {
  done: number;
  total: number;
  file: string;
}

export interface ExportResult {
  /** Id of the export's row in the store (null when exporting files by path without a store). */
  exportId: number | null;
  /** Image files written, in order (names inside the folder or zip). */
  files: string[];
  /** Absolute path of the folder or zip. */
  target: string;
  zip?: string;
  manifest: ManifestEntry[];
}

const EXT = { png: 'png', webp: 'webp', jpeg: 'jpg' } as const;

/** Encodes every item in the requested format with its recipe; the names are already unique. */
async function encodeAll(
  items: readonly ExportItem[],
  names: readonly string[],
  format: keyof typeof EXT,
  ops: ImageOps,
  onProgress?: (p: ExportProgress) => void,
): Promise<OutputFile[]> {
  const out: OutputFile[] = [];
  for (const [i, item] of items.entries()) {
    const image = hasOps(ops) ? rgbaPipeline(applyOps(await decodeRgba(item.bytes), ops)) : item.bytes;
    out.push({ name: names[i]!, data: await encodeWithRecipe(image, format, exportedRecipe(item.recipe, ops)) });
    onProgress?.({ done: i + 1, total: items.length, file: names[i]! });
  }
  return out;
}

export async function exportBatch(
  store: Store | undefined,
  input: ExportRequestInput,
  onProgress?: (p: ExportProgress) => void,
): Promise<ExportResult> {
  const request = parseExportRequest(input);
  const kind: ExportKind = request.zip ? 'zip' : 'folder';
  const target = path.resolve(request.zip ?? request.folder!);
  await assertWritable(target, kind, request.overwrite); // before any work; checked again when writing
  const items = await selectItems(store, request);
  const copyOf = (it: ExportItem) => (it.generationId === null ? undefined : request.nearCopyOf?.[it.generationId]);
  const names = uniqueNames(
    request.template,
    items.map((it, i) => ({ ...it.fields, index: i + 1 })),
    EXT[request.format],
    MANIFEST_FILES,
  ).map((n, i) => (copyOf(items[i]!) === undefined ? n : `near-copy_${n}`));
  const ops = await resolveOps(request);
  const manifest: ManifestEntry[] = items.map((it, i) => ({
    file: names[i]!,
    generationId: it.generationId,
    sourcePath: it.sourcePath,
    recipe: exportedRecipe(it.recipe, ops) ?? null,
    ...(copyOf(it) === undefined ? {} : { nearCopyOf: copyOf(it) }),
  }));
  const files = await encodeAll(items, names, request.format, ops, onProgress);
  files.push(
    { name: 'manifest.json', data: Buffer.from(manifestJson(manifest)) },
    { name: 'manifest.csv', data: Buffer.from(manifestCsv(manifest)) },
  );

  if (kind === 'zip') await writeZip(target, files, request.overwrite);
  else await writeFolder(target, files, request.overwrite);

  const exportId = store
    ? store.exports.record({
        kind,
        target,
        options: {
          template: request.template,
          format: request.format,
          overwrite: request.overwrite,
          keyOut: request.keyOut,
          palette: request.palette,
          upscale: request.upscale,
        },
        files: manifest.map((m) => ({ file: m.file, generationId: m.generationId, sourcePath: m.sourcePath })),
      })
    : null;
  return { exportId, files: names, target, ...(kind === 'zip' ? { zip: target } : {}), manifest };
}
