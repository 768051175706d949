// What an export asks for, checked at the edge (CLI, IPC, HTTP) with one schema.
import { z } from 'zod';
import { UserError } from '../errors';
import { DEFAULT_TEMPLATE } from './file-names';
import { ImageOpsSchema } from './image-ops';

export const SelectionQuery = z
  .object({
    runId: z.number().int().positive().optional(),
    /** At least this rating (1–5). */
    minRating: z.number().int().min(1).max(5).optional(),
    tag: z.string().min(1).optional(),
  })
  .strict();

/** Which images: exactly one of these. */
export const SelectionFields = {
  /** Generations from the store, by id. */
  generationIds: z.array(z.number().int().positive()).optional(),
  /** Every generation matching the query (all of them when the query is empty). */
  query: SelectionQuery.optional(),
  /** Image files given by path (e.g. on the command line); their recipe is read from the file. */
  paths: z.array(z.string().min(1)).optional(),
};

const oneSelection = {
  check: (r: { generationIds?: unknown; query?: unknown; paths?: unknown }) =>
    [r.generationIds, r.query, r.paths].filter((s) => s !== undefined).length === 1,
  message: 'choose the images with exactly one of generationIds, query or paths',
};

export const ExportRequest = z
  .object({
    ...SelectionFields,
    ...ImageOpsSchema.shape,
    /** Write the files into this folder… */
    folder: z.string().min(1).optional(),
    /** …or into this zip file. */
    zip: z.string().min(1).optional(),
    template: z.string().min(1).default(DEFAULT_TEMPLATE),
    format: z.enum(['png', 'webp', 'jpeg']).default('png'),
    /** Write into a non-empty folder / replace an existing zip. */
    overwrite: z.boolean().default(false),
    /** Generation id → the training file it nearly copies: named "near-copy_…" and listed in the manifest. */
    nearCopyOf: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine(oneSelection.check, { message: oneSelection.message })
  .refine((r) => (r.folder === undefined) !== (r.zip === undefined), { message: 'give exactly one of folder or zip' });

export type ExportRequestInput = z.input<typeof ExportRequest>;
export type ExportRequest = z.output<typeof ExportRequest>;

const pixels = z.number().int().min(0).max(256);

export const SheetRequest = z
  .object({
    ...SelectionFields,
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
  })
  .strict()
  .refine(oneSelection.check, { message: oneSelection.message });

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
