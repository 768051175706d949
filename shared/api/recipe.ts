// Reading the recipe inside an image file the user drops on the app (PNG text chunks, WebP/JPEG XMP).
import { z } from 'zod';
import { TILE_MODES } from '../recipe';
import { Id } from './common';
import { Recipe } from './gallery';

/** Largest image accepted, in bytes (its base64 text is a third larger). */
export const MAX_RECIPE_IMAGE_BYTES = 8 * 1024 * 1024;

/** A recipe as read from a file: tiles also say along which axes they wrap. */
export const FileRecipe = Recipe.extend({ tile: z.enum(TILE_MODES).optional() });

export const recipeMethods = {
  /**
   * The recipe in an image Homegrown made. `recipe` is null when the file carries none (then
   * `parameters` may still hold A1111 text from another tool); `runId`/`checkpointId` are set when
   * this app still has the run and checkpoint that drew it. Not an image → a user error.
   */
  'recipe.read': {
    input: z.strictObject({
      /** The file's bytes, base64-encoded. */
      data: z.base64().max(Math.ceil(MAX_RECIPE_IMAGE_BYTES / 3) * 4, 'the image is larger than 8 MB'),
      /** The file's name, for messages. */
      name: z.string().max(255).optional(),
    }),
    output: z.object({
      recipe: FileRecipe.nullable(),
      parameters: z.string().nullable(),
      runId: Id.nullable(),
      checkpointId: Id.nullable(),
    }),
  },
} as const;
