import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageFileWriter, openImageFile } from '#core/dataset/image-file';

const HEADER = Buffer.from('h'.repeat(8), 'latin1');
const record = (slot: number) => Uint8Array.from({ length: 6 }, (_, k) => slot * 10 + k);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homegrown-image-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ImageFileWriter and ImageFile', () => {
  it('reads each item from its slot, whatever order the slots were written in', () => {
    const w = ImageFileWriter.create(6, HEADER.length, dir);
    for (const slot of [3, 0, 5]) w.put(slot, record(slot));
    const images = w.finish(HEADER, Uint32Array.from([5, 0, 3]));
    expect(images.count).toBe(3);
    expect([...images.read(0)]).toEqual([...record(5)]);
    const into = new Uint8Array(10).fill(9);
    expect([...images.read(2, into)]).toEqual([...record(3)]);
    expect([...into.subarray(6)]).toEqual([9, 9, 9, 9]);
    expect([...images.readAll()]).toEqual([...record(5), ...record(0), ...record(3)]);
    expect(() => images.read(3)).toThrow(RangeError);
    expect(() => w.put(1, new Uint8Array(5))).toThrow(/5 bytes, not 6/);
    expect(w.keep(join(dir, 'kept'))).toBe(true);
    images.close();
    expect(() => images.read(0)).toThrow(/closed/);
  });

  it('opens a kept file only with its header and every slot present', () => {
    const file = join(dir, 'kept');
    const slots = Uint32Array.from([5, 0, 3]);
    const images = openImageFile(file, HEADER, 6, slots)!;
    expect([...images.read(1)]).toEqual([...record(0)]);
    images.close();
    expect(openImageFile(file, Buffer.from('x'.repeat(8)), 6, slots)).toBeNull();
    expect(openImageFile(file, HEADER, 6, Uint32Array.from([6]))).toBeNull(); // past the end: torn file
    expect(openImageFile(join(dir, 'missing'), HEADER, 6, slots)).toBeNull();
  });

  it('without a folder, leaves no file name behind even before it is closed', () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('homegrown-decoded-'));
    const w = ImageFileWriter.create(6, HEADER.length);
    w.put(0, record(0));
    const images = w.finish(HEADER, Uint32Array.from([0]));
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('homegrown-decoded-'))).toEqual(before);
    expect([...images.read(0)]).toEqual([...record(0)]);
    images.close();
  });

  it('removes partial files of processes that are gone, and discards its own', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const abandoned = join(dir, `.decoding-${gone}-abc`);
    writeFileSync(abandoned, 'partial');
    const w = ImageFileWriter.create(6, HEADER.length, dir);
    expect(existsSync(abandoned)).toBe(false);
    expect((await readdir(dir)).filter((n) => n.startsWith('.decoding-'))).toHaveLength(1);
    w.discard();
    expect((await readdir(dir)).filter((n) => n.startsWith('.decoding-'))).toHaveLength(0);
  });
});
