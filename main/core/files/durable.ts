// Writes that survive a crash at any moment: the data goes to a temporary name beside the target, is
// fsynced, renamed over the target (atomic on one file system), and the folder entry is fsynced, so
// a reader sees either no file or the whole file, never a torn one.
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';

export function tempPathFor(target: string): string {
  return `${target}.${process.pid}.${randomUUID()}.tmp`;
}

export async function writeFileDurable(target: string, data: Uint8Array): Promise<void> {
  const created = await fsp.mkdir(path.dirname(target), { recursive: true });
  if (created) await syncDir(path.dirname(created));
  const temp = tempPathFor(target);
  await writeSynced(temp, data);
  await renameDurable(temp, target);
}

/** Creates `file` (which must not exist yet) with `data` and fsyncs it before returning. */
export async function writeSynced(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fsp.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Renames an already-written file into place and makes the rename itself durable. */
export async function renameDurable(temp: string, target: string): Promise<void> {
  try {
    await fsp.rename(temp, target);
  } catch (err) {
    await fsp.rm(temp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(target));
}

export async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// Windows cannot open a folder for fsync; NTFS journals the rename itself.
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Why a write failed, in the user's words, when it is something the user can fix; else null. */
export function writeFailureReason(err: unknown): string | null {
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'your disk quota is used up';
    case 'EFBIG':
      return 'the file is larger than this system allows (see `ulimit -f`)';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return null;
  }
}
