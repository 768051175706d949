// Export of generated images to a folder of the user's (optionally zipped), with their lineage.
import { z } from 'zod';
import { Id } from './common';

export const exportMethods = {
  /**
   * Writes the images, re-encoded with their recipe, plus manifest.json/.csv into `folder`, or with
   * `zip` into one zip file: `folder` itself when it ends in .zip, else `homegrown-<time>.zip` inside
   * it. `template` names the files from {id} {run} {seed} {prompt} {negative} {step} {model} {rating}
   * {index} (default "{run}_{seed}_{prompt}"). A non-empty folder or an existing zip is refused
   * unless `overwrite`. The export and each file's source generation are recorded.
   */
  'export.images': {
    input: z.strictObject({
      generationIds: z.array(Id).min(1),
      folder: z.string().min(1),
      zip: z.boolean().default(false),
      template: z.string().optional(),
      format: z.enum(['png', 'webp', 'jpeg']).optional(),
      overwrite: z.boolean().default(false),
    }),
    output: z.object({
      /** Absolute paths of the images written (the zip file when `zip`). */
      files: z.array(z.string()),
      /** Images exported. */
      count: z.int(),
      /** The folder or zip written. */
      target: z.string(),
    }),
  },
} as const;
