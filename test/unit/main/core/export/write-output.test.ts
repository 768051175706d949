import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFolder, writeZip } from '#core/export/write-output';
import { readZip } from '#test/fixtures/read-zip';
import { tempDir } from '../store/temp-home';

const files = [
  { name: 'a.png', data: Buffer.from('a') },
  { name: 'b.png', data: Buffer.from('b') },
];

describe('export output', () => {
  it('leaves no partial zip behind when the disk fills up midway, and names the file', () => {
    const dir = tempDir();
    const target = path.join(dir, 'big.zip');
    // `ulimit -f 256` caps files at 128 KiB: the third 64 KiB entry fails with EFBIG, as on a full disk.
    const child = spawnSync('bash', ['-c', `ulimit -f 256 && exec npx tsx test/fixtures/zip-writer.ts "${target}" 8`], {
      encoding: 'utf8',
    });
    expect(child.stdout.trim()).toBe(`Cannot write ${target}: the file is larger than allowed (EFBIG)`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('names the file when the target folder cannot exist, and writes nothing', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'file'), '');
    const target = path.join(dir, 'file', 'x.zip');
    await expect(writeZip(target, files, false)).rejects.toThrow(
      `Cannot write ${target}: a part of the path is a file, not a folder (ENOTDIR)`,
    );
    await expect(writeFolder(path.join(dir, 'file'), files, false)).rejects.toThrow(/is a file, not a folder/);
    expect(fs.readdirSync(dir)).toEqual(['file']);
  });

  it('removes the files it created when a later one fails, keeping the folder’s own files', async () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'mine.txt'), 'mine');
    fs.mkdirSync(path.join(folder, 'b.png')); // a folder where the second file should go
    await expect(writeFolder(folder, files, true)).rejects.toThrow(`Cannot write ${path.join(folder, 'b.png')}`);
    expect(fs.readdirSync(folder).sort()).toEqual(['b.png', 'mine.txt']);
  });

  it('gives the same zip bytes for the same files', async () => {
    const dir = tempDir();
    await writeZip(path.join(dir, '1.zip'), files, false);
    await writeZip(path.join(dir, '2.zip'), files, false);
    expect(fs.readFileSync(path.join(dir, '1.zip')).equals(fs.readFileSync(path.join(dir, '2.zip')))).toBe(true);
    expect([...(await readZip(path.join(dir, '1.zip'))).entries()].map(([k, v]) => [k, v.toString()])).toEqual([
      ['a.png', 'a'],
      ['b.png', 'b'],
    ]);
  });
});
