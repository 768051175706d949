// Keyset pagination: a page ends with a cursor holding its last row's sort key; the next page starts
// strictly after it, so pages stay fast at any depth and never repeat or skip rows when new ones arrive.
import { UserError } from '../errors';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  next: string | null;
}

/** A row's position in the page order: integers, most significant first. */
export type SortKey = readonly number[];

export const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

export function pageSize(limit: number | undefined): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit ?? DEFAULT_PAGE_SIZE)));
}

export function decodeCursor(text: string, length: number): SortKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== length || !value.every(Number.isSafeInteger)) {
    throw new UserError('This page cursor is not valid; start again from the first page.');
  }
  return value;
}

/** Splits `limit + 1` fetched rows into a page, using the extra row only to know a next page exists. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => SortKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit ? Buffer.from(JSON.stringify(key(last!))).toString('base64url') : null };
}
