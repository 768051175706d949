// Relative paths as stored in the database: NFC (macOS hands out NFD names, Linux keeps whatever bytes
// it was given, so one picture could otherwise be two rows), '/'-separated on every OS, and never able
// to climb out of the folder they are relative to.
import path from 'node:path';
import { UserError } from '../errors';

export function storedPath(relative: string, sep: string = path.sep): string {
  const absolute = (sep === '\\' ? path.win32 : path.posix).isAbsolute(relative);
  const kept = relative
    .normalize('NFC')
    .split(sep)
    .join('/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (absolute || kept.includes('..') || kept.length === 0) {
    throw new UserError(`Not a relative path inside its folder: ${JSON.stringify(relative)}`);
  }
  return kept.join('/');
}

/** True when `inner` is `outer` or lies below it. */
export function isWithin(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
