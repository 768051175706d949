// The recipe inside an image the user drops on the Generate page: read with the export engine's reader
// (PNG text chunks, WebP/JPEG XMP), then matched to this app's run and checkpoint — by the generation it
// came from when the store still has it, else by the checkpoint's manifest hash.
import type { z } from 'zod';
import { FileRecipe } from '#shared/api/recipe';
import { UserError } from '../errors';
import { readImageRecipe, type ExportedRecipe, type FoundRecipe } from '../media/recipe-meta';
import type { Store } from '../store';
import type { ParsedInput } from '#shared/api/index';

export interface ReadRecipe {
  recipe: z.infer<typeof FileRecipe> | null;
  parameters: string | null;
  runId: number | null;
  checkpointId: number | null;
}

function origin(store: Store, r: ExportedRecipe): { runId: number | null; checkpointId: number | null } {
  const g = r.generationId === undefined ? undefined : store.generations.get(r.generationId);
  if (g && g.prompt === r.prompt && g.seed === r.seed) return { runId: g.runId, checkpointId: g.checkpointId };
  if (r.checkpoint) {
    for (const run of store.runs.list()) {
      const c = store.runs.checkpoints(run.id).find((k) => k.manifestHash === r.checkpoint);
      if (c) return { runId: run.id, checkpointId: c.id };
    }
  }
  return { runId: null, checkpointId: null };
}

export async function readRecipeOf(store: Store, input: ParsedInput<'recipe.read'>): Promise<ReadRecipe> {
  let found: FoundRecipe;
  try {
    found = await readImageRecipe(Buffer.from(input.data, 'base64'));
  } catch {
    throw new UserError(`${input.name ?? 'The file'} is not an image Homegrown can read (PNG, WebP or JPEG)`);
  }
  const parsed = FileRecipe.safeParse(found.recipe);
  return {
    recipe: parsed.success ? parsed.data : null,
    parameters: found.parameters ?? null,
    ...(parsed.success ? origin(store, found.recipe!) : { runId: null, checkpointId: null }),
  };
}
