// Every failure leaves the service as an ApiError body: the user's own mistakes with their message,
// schema failures with where they are, anything else as "internal" (the details go to the log).
import { ZodError } from 'zod';
import { ApiError } from '#shared/api/common';
import { PromptError } from '#shared/prompt/errors';
import { UserError } from '../errors';

/** An id that does not exist. */
export class NotFoundError extends UserError {
  override name = 'NotFoundError';
}

export function toApiError(err: unknown, log: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
    return new ApiError('invalid-input', `Invalid input: ${issues[0]}`, issues);
  }
  if (err instanceof NotFoundError) return new ApiError('not-found', err.message);
  if (err instanceof UserError || err instanceof PromptError) return new ApiError('user', err.message);
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return new ApiError('internal', `Something went wrong: ${err instanceof Error ? err.message : String(err)}`);
}

export function mustExist<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new NotFoundError(`There is no ${what}`);
  return value;
}
