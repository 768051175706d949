// Batch export: the given images, re-encoded with their recipe inside, named from a template and
// written to a folder or a zip together with a manifest. Near copies are marked "near-copy_…" or left
// out. The result says what was written from which image; the service records it.
import path from 'node:path';
import { MANIFEST_FILES, manifestCsv, manifestJson, type ManifestEntry } from './manifest';
import { applyOps, exportedRecipe, hasOps, resolveOps, type ImageOps } from './image-ops';
import { encodeWithRecipe } from '../media/recipe-meta';
import { decodeRgba, rgbaPipeline } from './rgba';
import { parseExportRequest, type ExportRequestInput } from './request';
import { applyNearCopies, readImage, type ExportItem, type ExportLineage } from './items';
import { uniqueNames } from './file-names';
import { assertWritable, writeFolder, writeZip, type OutputFile } from './write-output';

export interface ExportProgress {
  done: number;
  total: number;
  file: string;
}

export interface ExportResult {
  /** Image files written, in order (names inside the folder or zip). */
  files: string[];
  /** Absolute path of the folder or zip. */
  target: string;
  zip?: string;
  manifest: ManifestEntry[];
  /** Near copies left out ('skip'). */
  skipped: ExportItem[];
  lineage: ExportLineage;
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
    const bytes = await readImage(item.file);
    const image = hasOps(ops) ? rgbaPipeline(applyOps(await decodeRgba(bytes), ops)) : bytes;
    out.push({ name: names[i]!, data: await encodeWithRecipe(image, format, exportedRecipe(item.recipe, ops)) });
    onProgress?.({ done: i + 1, total: items.length, file: names[i]! });
  }
  return out;
}

/** The request, checked, and its target, refused if it is taken: before any work (and again when writing). */
export async function checkBatch(input: ExportRequestInput) {
  const request = parseExportRequest(input);
  const kind = request.zip ? ('zip' as const) : ('folder' as const);
  const target = path.resolve(request.zip ?? request.folder!);
  await assertWritable(target, kind, request.overwrite);
  return { request, kind, target };
}

export async function exportBatch(
  given: readonly ExportItem[],
  input: ExportRequestInput,
  onProgress?: (p: ExportProgress) => void,
): Promise<ExportResult> {
  const { request, kind, target } = await checkBatch(input);
  const { kept: items, skipped } = applyNearCopies(given, request.nearCopies);
  const names = uniqueNames(
    request.template,
    items.map((it, i) => ({ ...it.fields, index: i + 1 })),
    EXT[request.format],
    MANIFEST_FILES,
  ).map((n, i) => (items[i]!.nearCopyOf === undefined ? n : `near-copy_${n}`));
  const ops = await resolveOps(request);
  const manifest: ManifestEntry[] = items.map((it, i) => ({
    file: names[i]!,
    generationId: it.generationId,
    sourcePath: it.sourcePath,
    recipe: exportedRecipe(it.recipe, ops) ?? null,
    ...(it.nearCopyOf === undefined ? {} : { nearCopyOf: it.nearCopyOf }),
  }));
  const files = await encodeAll(items, names, request.format, ops, onProgress);
  files.push(
    { name: 'manifest.json', data: Buffer.from(manifestJson(manifest)) },
    { name: 'manifest.csv', data: Buffer.from(manifestCsv(manifest)) },
  );

  if (kind === 'zip') await writeZip(target, files, request.overwrite);
  else await writeFolder(target, files, request.overwrite);

  const { template, format, overwrite, keyOut, palette, upscale, nearCopies } = request;
  return {
    files: names,
    target,
    ...(kind === 'zip' ? { zip: target } : {}),
    manifest,
    skipped,
    lineage: {
      kind,
      target,
      options: { template, format, overwrite, keyOut, palette, upscale, nearCopies },
      files: manifest.map((m) => ({ file: m.file, generationId: m.generationId, sourcePath: m.sourcePath })),
    },
  };
}
