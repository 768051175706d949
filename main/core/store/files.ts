// The app data folder: homegrown.db beside images/ (generations), runs/<id>/ (checkpoints, samples,
// logs) and cache/. The database stores paths relative to this folder so the whole folder can move.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
import { writeFileDurable } from '../files/durable';
import { isWithin, storedPath } from '../files/paths';

export const DATABASE_FILE = 'homegrown.db';
const FOLDERS = ['images', 'runs', 'cache'] as const;

/** `--home`, else HOMEGROWN_HOME, else the per-OS convention. */
export function resolveHome(
  override?: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  homedir: string = os.homedir(),
): string {
  const chosen = override || env.HOMEGROWN_HOME;
  if (chosen) return path.resolve(chosen);
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming'), 'Homegrown');
  }
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'Homegrown');
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : undefined;
  return path.posix.join(xdg ?? path.posix.join(homedir, '.local', 'share'), 'homegrown');
}

export class AppFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get databasePath(): string {
    return path.join(this.root, DATABASE_FILE);
  }

  ensureLayout(): void {
    for (const folder of FOLDERS) fs.mkdirSync(path.join(this.root, folder), { recursive: true });
  }

  /** Absolute path of a stored relative path; anything that would leave the folder is refused. */
  resolve(relative: string): string {
    return path.join(this.root, ...storedPath(relative).split('/'));
  }

  runFolder(runId: number): string {
    return `runs/${runId}`;
  }

  /** A fresh name for a generated image, grouped by month so no folder grows without bound. */
  newImagePath(ext: string, at: number): string {
    if (!/^[a-z0-9]{1,8}$/i.test(ext)) throw new Error(`Not a file extension: ${JSON.stringify(ext)}`);
    const month = new Date(at).toISOString().slice(0, 7);
    return `images/${month}/${randomUUID()}.${ext}`;
  }

  exists(relative: string): boolean {
    return fs.existsSync(this.resolve(relative));
  }

  /** True unless the stored path resolves (through a link) outside the app data folder. */
  isOurs(relative: string): boolean {
    return isWithin(realOrSelf(this.root), realOrSelf(this.resolve(relative)));
  }

  async writeDurable(relative: string, data: Uint8Array): Promise<void> {
    await writeFileDurable(this.resolve(relative), data);
  }

  /**
   * Throws when a target is, contains or lies inside one of `protectedRoots` (the user's dataset
   * folders), symlinks resolved, so a folder of the user's is never removed even if it was placed
   * inside the app data folder.
   */
  assertRemovable(relatives: readonly string[], protectedRoots: readonly string[]): void {
    const roots = protectedRoots.map(realOrSelf);
    for (const target of relatives.map((r) => this.resolve(r))) {
      const real = realOrSelf(target);
      const clash = roots.find((root) => isWithin(root, real) || isWithin(real, root));
      if (clash) throw new UserError(`Refusing to delete ${target}: it overlaps the dataset folder ${clash}`);
    }
  }

  /** Deletes files and folders of ours; checks all of them before deleting any. */
  async remove(relatives: readonly string[], protectedRoots: readonly string[]): Promise<void> {
    this.assertRemovable(relatives, protectedRoots);
    for (const r of relatives) await fsp.rm(this.resolve(r), { recursive: true, force: true });
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
