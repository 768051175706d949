// Export of generated images to a folder of the user's (optionally zipped), with their lineage.
import { z } from 'zod';
import { Id } from './common';

export const exportMethods = {
  /**
   * Copies the images into `folder`. `template` names the files (placeholders as in the export
   * engine, e.g. "{id}-{seed}"); existing files are refused unless `overwrite`.
   */
  'export.images': {
    input: z.strictObject({
      generationIds: z.array(Id).min(1),
      folder: z.string().min(1),
      zip: z.boolean().default(false),
      template: z.string().optional(),
      overwrite: z.boolean().default(false),
    }),
    output: z.object({
      /** Absolute paths written (the zip file when `zip`). */
      files: z.array(z.string()),
      count: z.int(),
    }),
  },
} as const;
