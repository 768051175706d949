// Shapes shared by several areas of the API.
import { z } from 'zod';

export const Id = z.int().positive();

/** Keyset pagination: pass `next` back as `cursor`; `next` is null on the last page. */
export const PageQuery = { limit: z.int().min(1).max(500).optional(), cursor: z.string().optional() };
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next: z.string().nullable() });
}

export const ByIdInput = z.strictObject({ id: Id });
export const Empty = z.strictObject({});
export const Ok = z.object({ ok: z.literal(true) });

/** Every failed call resolves to this (HTTP: non-2xx JSON body; IPC: rejected with it). */
export const ApiErrorSchema = z.object({
  /**
   * user: the user can fix it (message is for them); invalid-input: the input failed its schema;
   * not-found: the id does not exist; unauthorized: missing or wrong token (web mode);
   * unknown-method; internal: a bug (message only, details are in the server log).
   */
  code: z.enum(['user', 'invalid-input', 'not-found', 'unauthorized', 'unknown-method', 'internal']),
  message: z.string(),
  /** For invalid-input: where and what, one line each. */
  issues: z.array(z.string()).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorSchema>;

/** Thrown by both transports on the renderer side, carrying the error body. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
  }
  toBody(): ApiErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}
