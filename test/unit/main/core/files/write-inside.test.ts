// A file written into the user's folder lands there as a regular file or not at all.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeInside } from '#core/files/write-inside';
import { tempDir } from '#test/fixtures/app-service';

describe('writeInside', () => {
  it('creates and replaces a regular file, leaving no temporary file', async () => {
    const root = await tempDir('hg-write-');
    await fs.mkdir(path.join(root, 'sub'));
    const file = path.join(root, 'sub', 'a.txt');
    await writeInside(root, file, 'one\n');
    await writeInside(root, file, 'two\n');
    expect(await fs.readFile(file, 'utf8')).toBe('two\n');
    expect(await fs.readdir(path.join(root, 'sub'))).toEqual(['a.txt']);
  });

  it('refuses links (dangling or not), FIFOs and folders where the file goes', async () => {
    const root = await tempDir('hg-write-');
    const outside = path.join(await tempDir('hg-outside-'), 'x.txt');
    await fs.symlink(outside, path.join(root, 'dangling.txt'));
    await fs.symlink(path.join(root, 'real.txt'), path.join(root, 'inner.txt'));
    await fs.writeFile(path.join(root, 'real.txt'), 'kept');
    execFileSync('mkfifo', [path.join(root, 'fifo.txt')]);
    await fs.mkdir(path.join(root, 'dir.txt'));
    for (const [name, kind] of [
      ['dangling.txt', 'a symbolic link'],
      ['inner.txt', 'a symbolic link'],
      ['fifo.txt', 'a FIFO (named pipe)'],
      ['dir.txt', 'a folder'],
    ]) {
      await expect(writeInside(root, path.join(root, name!), 'new')).rejects.toThrow(
        `Refusing to write ${path.join(root, name!)}: it is ${kind}, not a regular file`,
      );
    }
    await expect(fs.lstat(outside)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readFile(path.join(root, 'real.txt'), 'utf8')).toBe('kept');
  });

  it('refuses a file whose folder resolves outside the root', async () => {
    const root = await tempDir('hg-write-');
    const away = await tempDir('hg-outside-');
    await fs.symlink(away, path.join(root, 'escape'));
    await expect(writeInside(root, path.join(root, 'escape', 'a.txt'), 'new')).rejects.toThrow(/outside the folder/);
    expect(await fs.readdir(away)).toEqual([]);
  });
});
