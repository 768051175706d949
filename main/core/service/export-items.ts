// Export, one rule for every shell: the app's export methods and `homegrown export` both come here.
// The selection becomes export items (gallery ids and queries through the store, image files by path),
// the near-copy check marks the copies among them, the export engine writes them, and the store
// records what was written from which generation.
import path from 'node:path';
import { UserError } from '../errors';
import { checkBatch, exportBatch, type ExportProgress, type ExportResult } from '../export/batch';
import { itemFromFile, readImageWithRecipe, type ExportItem, type ExportLineage } from '../export/items';
import type { ExportRequestInput, SheetRequestInput } from '../export/request';
import { checkSheet, exportSheet, type SheetResult } from '../export/sheet-export';
import type { ExportedRecipe } from '../media/recipe-meta';
import type { Generation, Store } from '../store';
import { APP_VERSION } from '../version';
import type { Originality } from './originality';

/** Which images: gallery ids, a gallery query (every image when empty), or image files by path. */
export type Selection = { generationIds: number[] } | { query: { runId?: number; minRating?: number; tag?: string } } | { paths: string[] };

/** The gallery, when there is one: without it only image files by path can be exported, unchecked and unrecorded. */
export interface ExportContext {
  store?: Store;
  originality?: Originality;
}

/** Which images were near copies (flagged or skipped), and which could not be checked (training folder gone). */
export interface CopyReport {
  copies: { id: number; of: string }[];
  unchecked: number[];
}

/** The recipe of a stored generation, rebuilt from its row for a file that carries none. */
function recipeFromRow(store: Store, g: Generation, size: number): ExportedRecipe {
  const run = store.runs.get(g.runId);
  const ckpt = g.checkpointId === null ? undefined : store.runs.checkpoints(g.runId).find((c) => c.id === g.checkpointId);
  return {
    prompt: g.prompt,
    negative: g.negative,
    seed: g.seed,
    model: run?.model === 'vae' ? 'vae' : 'gan',
    run: String(g.params.run ?? g.runId),
    checkpoint: ckpt?.manifestHash ?? '',
    step: ckpt?.step ?? 0,
    size,
    backend: g.backend,
    appVersion: String(g.params.appVersion ?? APP_VERSION),
    generationId: g.id,
  };
}

async function fromGeneration(store: Store, g: Generation): Promise<ExportItem> {
  const file = store.files.resolve(g.path);
  const found = await readImageWithRecipe(file, {
    unreadable: `Cannot read the file of image ${g.id} (${file})`,
    notImage: `The file of image ${g.id} (${g.path}) is not a readable image`,
  });
  const size = typeof g.params.size === 'number' ? g.params.size : (found.recipe?.size ?? 0);
  const recipe = found.recipe ? { ...found.recipe, generationId: g.id } : recipeFromRow(store, g, size);
  return {
    file,
    generationId: g.id,
    sourcePath: null,
    recipe,
    fields: {
      id: g.id,
      run: recipe.run,
      seed: g.seed,
      prompt: g.prompt,
      negative: g.negative,
      step: recipe.step,
      model: recipe.model,
      rating: g.rating,
      source: path.parse(g.path).name,
    },
  };
}

function queried(store: Store, q: Extract<Selection, { query: unknown }>['query']): Generation[] {
  const all: Generation[] = [];
  let cursor: string | undefined;
  do {
    const page = store.generations.search({ ...q, limit: 500, cursor });
    all.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all.sort((a, b) => a.id - b.id);
}

/** The selected images as export items, in a stable order (ascending id, the ids' order, or the paths' order). */
export async function selectItems(store: Store | undefined, selection: Selection): Promise<ExportItem[]> {
  const items: ExportItem[] = [];
  if ('paths' in selection) {
    // Lineage links to the generation only if this gallery still has it.
    const known = (id: number) => store?.generations.get(id) !== undefined;
    for (const p of selection.paths) items.push(await itemFromFile(p, known));
    return items;
  }
  if (!store) throw new UserError('Selecting images by id or query needs the app data store');
  const generations =
    'query' in selection
      ? queried(store, selection.query)
      : [...new Set(selection.generationIds)].map((id) => {
          const g = store.generations.get(id);
          if (!g) throw new UserError(`There is no image ${id}`);
          return g;
        });
  for (const g of generations) items.push(await fromGeneration(store, g));
  return items;
}

/** Marks the gallery images that nearly copy a training image; files from outside the gallery are not checked. */
async function checkCopies(
  originality: Originality | undefined,
  items: ExportItem[],
): Promise<{ items: ExportItem[]; unchecked: number[] }> {
  const ids = items.flatMap((it) => (it.generationId === null ? [] : [it.generationId]));
  if (!originality || !ids.length) return { items, unchecked: [] };
  const { copies, unchecked } = await originality.nearCopies(ids);
  const marked = items.map((it) => {
    const of = it.generationId === null ? undefined : copies.get(it.generationId);
    return of === undefined ? it : { ...it, nearCopyOf: of };
  });
  return { items: marked, unchecked };
}

function copyReport(items: readonly ExportItem[], unchecked: number[]): CopyReport {
  const copies = items.flatMap((it) => (it.generationId !== null && it.nearCopyOf ? [{ id: it.generationId, of: it.nearCopyOf }] : []));
  return { copies, unchecked };
}

const record = (store: Store | undefined, lineage: ExportLineage) => (store ? store.exports.record(lineage) : null);

type Recorded = CopyReport & { exportId: number | null };

/** The images into a folder or a zip, with a manifest. */
export async function exportToFolder(
  context: ExportContext,
  selection: Selection,
  request: ExportRequestInput,
  onProgress?: (p: ExportProgress) => void,
): Promise<ExportResult & Recorded> {
  await checkBatch(request); // a taken target is refused before reading images or checking near copies
  const { items, unchecked } = await checkCopies(context.originality, await selectItems(context.store, selection));
  const result = await exportBatch(items, request, onProgress);
  return { ...result, exportId: record(context.store, result.lineage), ...copyReport(items, unchecked) };
}

/** The images packed into one sprite sheet with its atlas. */
export async function exportToSheet(
  context: ExportContext,
  selection: Selection,
  request: SheetRequestInput,
  onProgress?: (p: ExportProgress) => void,
): Promise<SheetResult & Recorded> {
  await checkSheet(request);
  const { items, unchecked } = await checkCopies(context.originality, await selectItems(context.store, selection));
  const result = await exportSheet(items, request, onProgress);
  return { ...result, exportId: record(context.store, result.lineage), ...copyReport(items, unchecked) };
}
