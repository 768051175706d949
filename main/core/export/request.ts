// How an export writes its items, checked with one schema whichever shell asked (CLI, IPC, HTTP).
import { z } from 'zod';
import { UserError } from '../errors';
import { DEFAULT_TEMPLATE } from './file-names';
import { ImageOpsSchema } from './image-ops';

/**
 * Images the service found to nearly copy a training image (`nearCopyOf` on the item): 'flag' exports
 * them marked, 'skip' leaves them out.
 */
const nearCopies = z.enum(['flag', 'skip']).default('flag');

export const ExportRequest = z
  .object({
    ...ImageOpsSchema.shape,
    /** Write the files into this folder… */
    folder: z.string().min(1).optional(),
    /** …or into this zip file. */
    zip: z.string().min(1).optional(),
    template: z.string().min(1).default(DEFAULT_TEMPLATE),
    format: z.enum(['png', 'webp', 'jpeg']).default('png'),
    /** Write into a non-empty folder / replace an existing zip. */
    overwrite: z.boolean().default(false),
    nearCopies,
  })
  .strict()
  .refine((r) => (r.folder === undefined) !== (r.zip === undefined), { message: 'give exactly one of folder or zip' });

export type ExportRequestInput = z.input<typeof ExportRequest>;
export type ExportRequest = z.output<typeof ExportRequest>;

const pixels = z.number().int().min(0).max(256);

export const SheetRequest = z
  .object({
    ...ImageOpsSchema.shape,
    /** The sheet PNG to write; the atlas goes beside it as <name>.json. */
    sheet: z.string().min(1),
    atlas: z.enum(['hash', 'array']).default('hash'),
    mode: z.enum(['pack', 'grid']).default('pack'),
    padding: pixels.default(2),
    extrude: pixels.default(0),
    trim: z.boolean().default(false),
    pot: z.boolean().default(false),
    columns: z.number().int().min(1).optional(),
    /** Frame names in the atlas. */
    template: z.string().min(1).default('{index}'),
    overwrite: z.boolean().default(false),
    nearCopies,
  })
  .strict();

export type SheetRequestInput = z.input<typeof SheetRequest>;
export type SheetRequest = z.output<typeof SheetRequest>;

/** Parses a request; a malformed one is the caller's error, reported with the field's name. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new UserError(`Invalid export request: ${where}${issue.message}`);
  }
  return parsed.data;
}

export const parseExportRequest = (input: unknown): ExportRequest => parseRequest(ExportRequest, input);
