import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFiles, resolveHome } from '#core/store/files';
import { storedPath } from '#core/files/paths';
import { UserError } from '#core/errors';
import { tempDir } from './temp-home';

describe('resolveHome', () => {
  const home = '/home/ada';
  it.each([
    ['linux', {}, '/home/ada/.local/share/homegrown'],
    ['linux', { XDG_DATA_HOME: '/data' }, '/data/homegrown'],
    ['linux', { XDG_DATA_HOME: 'relative/ignored' }, '/home/ada/.local/share/homegrown'],
    ['darwin', {}, '/home/ada/Library/Application Support/Homegrown'],
    ['win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'C:\\Users\\ada\\AppData\\Roaming\\Homegrown'],
    ['linux', { HOMEGROWN_HOME: '/srv/hg', XDG_DATA_HOME: '/data' }, '/srv/hg'],
  ] as const)('on %s with %j is %s', (platform, env, expected) => {
    expect(resolveHome(undefined, env, platform, home)).toBe(expected);
  });

  it('--home wins over HOMEGROWN_HOME', () => {
    expect(resolveHome('/tmp/flag', { HOMEGROWN_HOME: '/srv/hg' }, 'linux', home)).toBe('/tmp/flag');
  });
});

describe('storedPath', () => {
  it('stores NFC with / separators and drops . segments', () => {
    expect(storedPath('cats/./Cafe\u0301.png', '/')).toBe('cats/Caf\u00e9.png');
    expect(storedPath('cats\\tabby.png', '\\')).toBe('cats/tabby.png');
  });

  it.each(['../escape.png', 'a/../../b', '/etc/passwd', '', '.'])('refuses %j', (p) => {
    expect(() => storedPath(p, '/')).toThrow(UserError);
  });

  it('refuses Windows absolute paths when the separator is a backslash', () => {
    expect(() => storedPath('C:\\Windows\\x.png', '\\')).toThrow(UserError);
  });
});

describe('AppFiles', () => {
  it('lays out images/, runs/ and cache/ and resolves only inside its root', () => {
    const files = new AppFiles(tempDir());
    files.ensureLayout();
    for (const dir of ['images', 'runs', 'cache']) expect(fs.statSync(path.join(files.root, dir)).isDirectory()).toBe(true);
    expect(files.resolve('runs/3/checkpoints')).toBe(path.join(files.root, 'runs', '3', 'checkpoints'));
    expect(() => files.resolve('../outside')).toThrow(UserError);
  });

  it('writes durably through a temporary file and leaves none behind', async () => {
    const files = new AppFiles(tempDir());
    const rel = files.newImagePath('png', Date.UTC(2026, 10, 28));
    expect(rel).toMatch(/^images\/2026-11\/[0-9a-f-]{36}\.png$/);
    await files.writeDurable(rel, new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(files.resolve(rel))]).toEqual([1, 2, 3]);
    expect(fs.readdirSync(path.dirname(files.resolve(rel)))).toHaveLength(1);
  });
});
