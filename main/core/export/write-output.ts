// Writing an export's files so that a failure midway (disk full, permission denied, a path that is a
// file) leaves nothing half-written: a zip is built in a temporary file beside the target and renamed
// into place; folder files are written one by one through temporary names, and the files this export
// created are removed again if a later one fails. Errors name the file and the cause.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { UserError } from '../errors';
import { renameDurable, syncDir, syncFile, tempPathFor, writeSynced } from '../files/durable';

export interface OutputFile {
  name: string;
  data: Uint8Array;
}

// A fixed time in every entry makes the same export give the same zip bytes.
const ZIP_TIME = new Date(Date.UTC(2000, 0, 1));

const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than allowed',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'the folder does not exist',
};

/**
 * An export target that is already there. The message speaks the command line's words (--overwrite);
 * the app re-says it with its own (`inAppWords`).
 */
export class TargetExists extends UserError {
  constructor(
    readonly target: string,
    readonly what: 'folder not empty' | 'file exists',
  ) {
    super(
      what === 'folder not empty'
        ? `${target} is not empty; choose another folder or pass --overwrite`
        : `${target} exists; choose another name or pass --overwrite`,
    );
  }

  inAppWords(): string {
    return this.what === 'folder not empty'
      ? `${this.target} is not empty: choose another folder, or tick “replace existing files”`
      : `${this.target} already exists: choose another name, or tick “replace existing files”`;
  }
}

/** A one-line message for an I/O failure on `file`. */
export function cannotWrite(file: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return new UserError(`Cannot write ${file}: ${CAUSES[code] ?? (err as Error).message}${code ? ` (${code})` : ''}`);
}

// Cleanup after a failure must not hide the failure itself (rm of a path under a file is ENOTDIR).
const discard = (p: string) => fsp.rm(p, { force: true }).catch(() => undefined);

async function exists(p: string): Promise<fs.Stats | null> {
  return fsp.stat(p).catch(() => null);
}

/** Refuses a file target (zip, sheet) that exists, or a folder that is not empty, unless `overwrite`. */
export async function assertWritable(target: string, kind: 'zip' | 'folder', overwrite: boolean): Promise<void> {
  const stat = await exists(target);
  if (!stat) return;
  if (kind === 'folder') {
    if (!stat.isDirectory()) throw new UserError(`${target} is a file, not a folder`);
    if (!overwrite && (await fsp.readdir(target)).length > 0) {
      throw new TargetExists(target, 'folder not empty');
    }
  } else {
    if (stat.isDirectory()) throw new UserError(`${target} is a folder, not a file`);
    if (!overwrite) throw new TargetExists(target, 'file exists');
  }
}

export async function writeZip(target: string, files: readonly OutputFile[], overwrite: boolean): Promise<void> {
  await assertWritable(target, 'zip', overwrite);
  const zip = new yazl.ZipFile();
  // PNG, WebP and JPEG are compressed already; deflating them again only costs time.
  for (const f of files) zip.addBuffer(Buffer.from(f.data), f.name, { mtime: ZIP_TIME, compress: /\.(json|csv)$/u.test(f.name) });
  zip.end();
  const temp = tempPathFor(target);
  try {
    await pipeline(zip.outputStream, fs.createWriteStream(temp, { flags: 'wx' }));
    await syncFile(temp);
    await renameDurable(temp, target);
  } catch (err) {
    await discard(temp);
    throw cannotWrite(target, err);
  }
}

/**
 * Writes `files` into `folder`. By default the folder must be empty or new; with `beside`, other files
 * may be there but none of ours may exist yet (unless `overwrite`).
 */
export async function writeFolder(folder: string, files: readonly OutputFile[], overwrite: boolean, beside = false): Promise<void> {
  await assertWritable(folder, 'folder', overwrite || beside);
  if (beside && !overwrite) {
    for (const f of files) {
      const target = path.join(folder, f.name);
      if (await exists(target)) throw new TargetExists(target, 'file exists');
    }
  }
  try {
    await fsp.mkdir(folder, { recursive: true });
  } catch (err) {
    throw cannotWrite(folder, err);
  }
  const created: string[] = [];
  for (const f of files) {
    const target = path.join(folder, f.name);
    const temp = tempPathFor(target);
    try {
      const existed = await exists(target);
      await writeSynced(temp, f.data);
      await fsp.rename(temp, target);
      if (!existed) created.push(target);
    } catch (err) {
      await discard(temp);
      for (const done of created) await discard(done);
      throw cannotWrite(target, err);
    }
  }
  await syncDir(folder);
}
