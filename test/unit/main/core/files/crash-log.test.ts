import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashSummary, readableLine, writeCrashLog } from '#core/files/crash-log';

describe('readableLine', () => {
  it('is the first non-empty line of the message, cut to 240 characters', () => {
    expect(readableLine(new Error('\n  disk on fire  \nat somewhere'))).toBe('disk on fire');
    const long = readableLine(new Error(`var Module=${'x'.repeat(39_000)}`));
    expect(long).toHaveLength(240);
    expect(long.endsWith('…')).toBe(true);
    expect(readableLine('plain text')).toBe('plain text');
    expect(readableLine({ code: 42 })).toBe('{ code: 42 }');
    expect(readableLine(new TypeError(''))).toBe('TypeError');
  });
});

describe('writeCrashLog', () => {
  it('writes the whole error with its stack and cause to a new file in the folder', async () => {
    const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'hg-crashlog-')), 'logs');
    const err = new Error('boom', { cause: new Error('underneath') });
    const file = writeCrashLog(dir, err, 'command: homegrown train x');
    expect(path.dirname(file!)).toBe(dir);
    const text = await fs.readFile(file!, 'utf8');
    expect(text).toContain('command: homegrown train x');
    expect(text).toMatch(/Error: boom\n\s+at /);
    expect(text).toContain('underneath');
    expect(crashSummary(err, file)).toBe(`boom (full report: ${file})`);
    expect(crashSummary(err, null)).toBe('boom (no report could be written: the disk may be full)');
  });

  it('falls back to the system temp folder when the log folder cannot be made', async () => {
    const blocker = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'hg-crashlog-')), 'file');
    await fs.writeFile(blocker, '');
    const file = writeCrashLog(path.join(blocker, 'logs'), new Error('x'), '');
    expect(path.dirname(file!)).toBe(path.join(os.tmpdir(), 'homegrown-logs'));
    await fs.rm(file!);
  });
});
