// A folder browser the web page can use (a browser will not tell a page where a folder is): the
// sub-folders of a folder inside the user's home, never anything outside it (symlinks included).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import { isWithin } from '../files/paths';
import { userPath } from './user-path';

export interface FolderListing {
  /** The folder listed (absolute). */
  folder: string;
  /** Its parent, or null at the home folder. */
  parent: string | null;
  /** Sub-folders' names, hidden ones left out, sorted. */
  folders: string[];
}

const MAX_FOLDERS = 2000;

export async function browseFolder(input: { folder?: string }, home = os.homedir()): Promise<FolderListing> {
  const realHome = await fs.realpath(home);
  const wanted = input.folder ? userPath(input.folder, home) : home;
  const real = await fs.realpath(wanted).catch(() => null);
  if (real === null) throw new UserError(`${wanted} does not exist`);
  if (!isWithin(realHome, real))
    throw new UserError(`Only folders inside your home folder (${home}) can be browsed here; type the path of ${wanted} instead`);
  const entries = await fs.readdir(real, { withFileTypes: true }).catch(() => {
    throw new UserError(`${wanted} cannot be read (is it a folder, and may you open it?)`);
  });
  const folders: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const isDir = e.isDirectory() || (e.isSymbolicLink() && (await fs.stat(path.join(real, e.name)).catch(() => null))?.isDirectory());
    if (isDir) folders.push(e.name);
  }
  folders.sort((a, b) => a.localeCompare(b));
  return { folder: real, parent: real === realHome ? null : path.dirname(real), folders: folders.slice(0, MAX_FOLDERS) };
}
