// New output folders that never reuse an existing one, so nothing already written is overwritten.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Creates `parent/name` (or `name-2`, `name-3`, … if taken) and returns its path. */
export async function freshFolder(parent: string, name: string): Promise<string> {
  await fs.mkdir(parent, { recursive: true });
  for (let i = 1; ; i++) {
    const dir = path.join(parent, i === 1 ? name : `${name}-${i}`);
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
