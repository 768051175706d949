import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browseFolder } from '#core/service/folders';

const root = mkdtempSync(path.join(os.tmpdir(), 'hg-browse-'));
const home = path.join(root, 'home');
const outside = path.join(root, 'outside');
for (const d of [home, outside, path.join(home, 'Pictures', 'sprites'), path.join(home, 'Art'), path.join(home, '.cache')])
  mkdirSync(d, { recursive: true });
writeFileSync(path.join(home, 'notes.txt'), 'x');
symlinkSync(outside, path.join(home, 'escape'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('browseFolder', () => {
  it('lists the sub-folders of the home folder and below, hidden ones and files left out', async () => {
    expect(await browseFolder({}, home)).toEqual({ folder: home, parent: null, folders: ['Art', 'escape', 'Pictures'] });
    expect(await browseFolder({ folder: '"~/Pictures"' }, home)).toEqual({
      folder: path.join(home, 'Pictures'),
      parent: home,
      folders: ['sprites'],
    });
  });

  it('refuses anything outside the home folder, links out included', async () => {
    await expect(browseFolder({ folder: outside }, home)).rejects.toThrow(/^Only folders inside your home folder/);
    await expect(browseFolder({ folder: path.join(home, 'escape') }, home)).rejects.toThrow(/^Only folders inside your home folder/);
    await expect(browseFolder({ folder: `${home}/..` }, home)).rejects.toThrow(/^Only folders inside your home folder/);
    await expect(browseFolder({ folder: path.join(home, 'nope') }, home)).rejects.toThrow(/does not exist$/);
    await expect(browseFolder({ folder: path.join(home, 'notes.txt') }, home)).rejects.toThrow(/cannot be read/);
  });
});
