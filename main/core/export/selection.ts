// The images an export starts from: generations from the store (by id or by query) or image files
// given by path, each with its bytes, its recipe and the values file-name templates use.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors';
import type { Generation, Store } from '../store';
import { APP_VERSION } from '../version';
import type { NameFields } from './file-names';
import { readImageRecipe, type ExportedRecipe } from '../media/recipe-meta';
import type { ExportRequest } from './request';

export interface ExportItem {
  generationId: number | null;
  sourcePath: string | null;
  bytes: Buffer;
  recipe?: ExportedRecipe;
  fields: Omit<NameFields, 'index'>;
}

async function readSource(file: string, what: string): Promise<Buffer> {
  try {
    return await fsp.readFile(file);
  } catch {
    throw new UserError(`Cannot read ${what} (${file})`);
  }
}

/** The recipe of a stored generation: the one inside its file, else rebuilt from its row. */
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
  const bytes = await readSource(store.files.resolve(g.path), `the file of image ${g.id}`);
  let found;
  try {
    found = await readImageRecipe(bytes);
  } catch {
    throw new UserError(`The file of image ${g.id} (${g.path}) is not a readable image`);
  }
  const size = typeof g.params.size === 'number' ? g.params.size : (found.recipe?.size ?? 0);
  const recipe = found.recipe ? { ...found.recipe, generationId: g.id } : recipeFromRow(store, g, size);
  return {
    generationId: g.id,
    sourcePath: null,
    bytes,
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

async function fromPath(store: Store | undefined, file: string): Promise<ExportItem> {
  const bytes = await readSource(file, 'the image');
  let found;
  try {
    found = await readImageRecipe(bytes);
  } catch {
    throw new UserError(`${file} is not an image Homegrown can read (PNG, WebP or JPEG)`);
  }
  const r = found.recipe;
  // Lineage links to the generation only if this store still has it.
  const known = r?.generationId !== undefined && store?.generations.get(r.generationId) !== undefined;
  return {
    generationId: known ? r!.generationId! : null,
    sourcePath: path.resolve(file),
    bytes,
    recipe: r,
    fields: {
      id: r?.generationId,
      run: r?.run,
      seed: r?.seed,
      prompt: r?.prompt,
      negative: r?.negative,
      step: r?.step,
      model: r?.model,
      source: path.parse(file).name,
    },
  };
}

function queried(store: Store, q: NonNullable<ExportRequest['query']>): Generation[] {
  const all: Generation[] = [];
  let cursor: string | undefined;
  do {
    const page = store.generations.search({ ...q, limit: 500, cursor });
    all.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all.sort((a, b) => a.id - b.id);
}

/** Loads the selected images in a stable order (ascending id, or the order the paths were given). */
export async function selectItems(
  store: Store | undefined,
  request: Pick<ExportRequest, 'generationIds' | 'query' | 'paths'>,
): Promise<ExportItem[]> {
  let items: ExportItem[];
  if (request.paths) {
    items = [];
    for (const p of request.paths) items.push(await fromPath(store, p));
  } else {
    if (!store) throw new UserError('Selecting images by id or query needs the app data store');
    const generations = request.query
      ? queried(store, request.query)
      : [...new Set(request.generationIds ?? [])].map((id) => {
          const g = store.generations.get(id);
          if (!g) throw new UserError(`There is no image ${id}`);
          return g;
        });
    items = [];
    for (const g of generations) items.push(await fromGeneration(store, g));
  }
  if (items.length === 0) throw new UserError('Nothing to export: the selection is empty');
  return items;
}
