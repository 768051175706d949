// Walks a dataset folder and lists every entry as a file to examine or a skip with its reason.
// The walk is bounded (depth and entry count), never opens anything but directories (a FIFO would block
// a read forever), and does not follow symlinks leading outside the folder unless asked to.
import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import pMap from 'p-map';
import { UserError } from '../errors';
import { describeFsError, type Skip, type SkipCode } from './skip';

/** Where the app moves images the user sets aside (near-duplicates): inside the dataset, never scanned. */
export const SET_ASIDE_FOLDER = '.set-aside';

export interface FoundFile {
  /** Relative to the root, '/'-separated, NFC: the name the app stores and shows. */
  path: string;
  /** On-disk absolute path, in the name's original Unicode form, for reading. */
  abs: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** Follow symlinks whose target lies outside the folder (default false). */
  followOutside?: boolean;
  /** Folders nested deeper than this are listed as skipped, not entered. */
  maxDepth?: number;
  /** The walk stops after this many entries and says so. */
  maxEntries?: number;
}

export interface ScanResult {
  /** The folder's real path. */
  root: string;
  files: FoundFile[];
  skipped: Skip[];
}

export const DEFAULT_MAX_DEPTH = 32;
export const DEFAULT_MAX_ENTRIES = 200_000;
// Directory entries inspected at once: enough to hide stat latency, few enough to keep fds bounded.
const STAT_CONCURRENCY = 16;

type Inspected =
  { kind: 'dir'; abs: string; id: string } | { kind: 'file'; abs: string; stats: Stats } | { kind: 'skip'; code: SkipCode; reason: string };

interface Dir {
  abs: string;
  rel: string;
  depth: number;
}

export async function scanFolder(folder: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const root = await openRoot(folder);
  const files: FoundFile[] = [];
  const skipped: Skip[] = [];
  // Directories entered so far, by device:inode, so a loop or a second route to one is seen.
  const enteredDirs = new Map<string, string>([[await dirId(root), '']]);
  const names = new Set<string>();
  const stack: Dir[] = [{ abs: root, rel: '', depth: 0 }];
  let entries = 0;
  let stopped = false;

  while (stack.length > 0) {
    const dir = stack.pop()!;
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir.abs, { withFileTypes: true });
    } catch (err) {
      skipped.push({ path: dir.rel || '.', code: 'unreadable', reason: `cannot open folder: ${describeFsError(err)}` });
      continue;
    }
    dirents.sort((a, b) => compare(a.name, b.name));
    if (entries + dirents.length > maxEntries) {
      dirents = dirents.slice(0, Math.max(0, maxEntries - entries));
      stopped = true;
      skipped.push({
        path: dir.rel || '.',
        code: 'scan-limit',
        reason: `scan stopped after ${maxEntries} entries: split the folder into smaller datasets`,
      });
    }
    entries += dirents.length;
    const inspected = await pMap(dirents, (d) => inspect(dir.abs, d, root, opts.followOutside ?? false), {
      concurrency: STAT_CONCURRENCY,
    });
    // Applied in name order so that which of two clashing names wins does not depend on timing.
    const subdirs: Dir[] = [];
    dirents.forEach((d, i) => {
      const name = d.name.normalize('NFC');
      const rel = dir.rel ? `${dir.rel}/${name}` : name;
      const found = inspected[i];
      if (names.has(rel)) {
        const reason = `same name as "${rel}" in another Unicode form (NFC/NFD): rename one of them`;
        skipped.push({ path: rel, code: 'name-clash', reason });
        return;
      }
      names.add(rel);
      if (found!.kind === 'skip') {
        skipped.push({ path: rel, code: found!.code, reason: found!.reason });
      } else if (found!.kind === 'file') {
        files.push({ path: rel, abs: found!.abs, size: found!.stats.size, mtimeMs: found!.stats.mtimeMs });
      } else if (enteredDirs.has(found!.id)) {
        const earlier = enteredDirs.get(found!.id)!;
        const isAncestor = earlier === '' || rel.startsWith(`${earlier}/`);
        skipped.push(
          isAncestor
            ? { path: rel, code: 'symlink-loop', reason: `symlink loop: leads back to "${earlier || '.'}"` }
            : { path: rel, code: 'symlink-inside', reason: `same folder as "${earlier}", which is scanned already` },
        );
      } else if (dir.depth + 1 > maxDepth) {
        skipped.push({ path: rel, code: 'too-deep', reason: `folder nested more than ${maxDepth} levels deep (not scanned)` });
      } else {
        enteredDirs.set(found!.id, rel);
        subdirs.push({ abs: found!.abs, rel, depth: dir.depth + 1 });
      }
    });
    if (stopped) break;
    stack.push(...subdirs.reverse());
  }

  files.sort((a, b) => compare(a.path, b.path));
  skipped.sort((a, b) => compare(a.path, b.path));
  return { root, files, skipped };
}

/** The folder's real path, or a UserError saying what to do. */
async function openRoot(folder: string): Promise<string> {
  let root: string;
  try {
    root = await realpath(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`Folder not found: ${folder}. Check the path and try again.`);
    throw new UserError(`Cannot open ${folder}: ${describeFsError(err)}. Check the path and its permissions.`);
  }
  const stats = await stat(root);
  if (!stats.isDirectory()) {
    throw new UserError(`${folder} is a file, not a folder: give the folder that holds your images.`);
  }
  return root;
}

async function dirId(abs: string): Promise<string> {
  const s = await stat(abs);
  return `${s.dev}:${s.ino}`;
}

async function inspect(parent: string, d: Dirent, root: string, followOutside: boolean): Promise<Inspected> {
  const abs = join(parent, d.name);
  try {
    if (d.name === SET_ASIDE_FOLDER && d.isDirectory()) {
      return { kind: 'skip', code: 'set-aside', reason: 'images set aside in Homegrown (not used for training)' };
    }
    if (d.name.startsWith('.')) {
      return { kind: 'skip', code: 'hidden', reason: d.isDirectory() ? 'hidden folder (not scanned)' : 'hidden file' };
    }
    if (d.isSymbolicLink()) return await inspectLink(parent, abs, root, followOutside);
    if (d.isDirectory()) return { kind: 'dir', abs, id: await dirId(abs) };
    if (d.isFile()) return { kind: 'file', abs, stats: await lstat(abs) };
    return notRegular(d);
  } catch (err) {
    return { kind: 'skip', code: 'unreadable', reason: `cannot read: ${describeFsError(err)}` };
  }
}

async function inspectLink(parent: string, abs: string, root: string, followOutside: boolean): Promise<Inspected> {
  let target: string;
  try {
    target = await realpath(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'skip', code: 'symlink-loop', reason: 'symlink loop: the link never reaches a file' };
    if (code === 'ENOENT') return { kind: 'skip', code: 'symlink-broken', reason: 'broken symlink: its target does not exist' };
    throw err;
  }
  const inside = target === root || target.startsWith(root + sep);
  if (!inside && !followOutside) {
    return { kind: 'skip', code: 'symlink-outside', reason: `symlink to ${target}, outside the folder (not followed)` };
  }
  const stats = await stat(target);
  if (inside) {
    // Whatever lies inside the folder is scanned under its real name; following the link would only
    // count it twice (or loop, when it points at a folder that contains the link).
    const rel = relative(root, target).split(sep).join('/').normalize('NFC') || '.';
    if (stats.isDirectory() && (parent === target || parent.startsWith(target + sep))) {
      return { kind: 'skip', code: 'symlink-loop', reason: `symlink loop: leads back to "${rel}"` };
    }
    return { kind: 'skip', code: 'symlink-inside', reason: `link to "${rel}", which is listed under its own name` };
  }
  if (stats.isDirectory()) return { kind: 'dir', abs: target, id: `${stats.dev}:${stats.ino}` };
  if (stats.isFile()) return { kind: 'file', abs: target, stats };
  return notRegular(stats);
}

function notRegular(d: Dirent | Stats): Inspected {
  const what = d.isFIFO() ? 'a FIFO' : d.isSocket() ? 'a socket' : d.isCharacterDevice() || d.isBlockDevice() ? 'a device' : 'special';
  return { kind: 'skip', code: 'not-regular', reason: `not a regular file (${what})` };
}

// Code-point order: stable across locales, so reports and caches do not depend on the machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
