import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { userPath } from '#core/service/user-path';

describe('userPath', () => {
  it('takes a pasted path as meant: quotes off, ~ as home, absolute', () => {
    expect(userPath('"/srv/My Sprites"', '/home/me')).toBe('/srv/My Sprites');
    expect(userPath("  '/srv/art'  ", '/home/me')).toBe('/srv/art');
    expect(userPath('~', '/home/me')).toBe('/home/me');
    expect(userPath('~/Pictures/sprites', '/home/me')).toBe('/home/me/Pictures/sprites');
    expect(userPath('"~/a b"', '/home/me')).toBe('/home/me/a b');
    expect(userPath('~bob/x', '/home/me')).toBe(path.resolve('~bob/x'));
    expect(userPath('rel', '/home/me')).toBe(path.resolve('rel'));
  });
});
