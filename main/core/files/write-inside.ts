// Writing a file into a folder that belongs to the user (a caption beside a dataset image) without ever
// writing anywhere else: the folder is resolved once, whatever already has the name must be a regular
// file, and the data goes to a new temporary file in that folder that is renamed over the name. A rename
// replaces a link itself rather than following it, so even a link swapped in at the last moment cannot
// redirect the write, and a reader sees the old file or the whole new one.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { renameDurable, tempPathFor, writeSynced } from './durable';
import { isWithin } from './paths';

/** Writes `file` (which must lie in `root`) as a regular file; refuses links and special files. */
export async function writeInside(root: string, file: string, data: string | Uint8Array): Promise<void> {
  const realRoot = await fs.realpath(root).catch(() => null);
  if (!realRoot) throw new UserError(`The folder ${root} is gone`);
  const realParent = await fs.realpath(path.dirname(file)).catch(() => null);
  if (!realParent || !isWithin(realRoot, realParent)) throw new UserError(`Refusing to write ${file}: it is outside the folder ${root}`);
  const target = path.join(realParent, path.basename(file));
  const existing = await fs.lstat(target).catch(() => null);
  if (existing && !existing.isFile()) throw new UserError(`Refusing to write ${file}: it is ${kindOf(existing)}, not a regular file`);
  const temp = tempPathFor(target);
  try {
    await writeSynced(temp, data);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  await renameDurable(temp, target);
}

/** What a non-regular directory entry is, in words. */
export function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}
