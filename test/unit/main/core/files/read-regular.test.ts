// Reading a file from the user's folder never hangs: special files are refused on sight, big files by
// their size, and a read that does not finish is given up at its deadline while holding only its slot.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_READS, readRegularFile, slots, UnreadableFile, withDeadline } from '#core/files/read-regular';
import { tempDir } from '#test/fixtures/app-service';

const LIMITS = { maxBytes: 1024, timeoutMs: 5_000 };

describe('readRegularFile', () => {
  it('reads a regular file, and a symlink to one', async () => {
    const dir = await tempDir('hg-read-');
    await fs.writeFile(path.join(dir, 'a.png'), 'pixels');
    await fs.symlink(path.join(dir, 'a.png'), path.join(dir, 'b.png'));
    expect((await readRegularFile(path.join(dir, 'b.png'), LIMITS)).toString()).toBe('pixels');
  });

  it('refuses a FIFO at once, even with no writer and more requests than threads', async () => {
    const fifo = path.join(await tempDir('hg-read-'), 'a.png');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => readRegularFile(fifo, LIMITS)));
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const r of results) {
      expect(r).toMatchObject({ status: 'rejected', reason: expect.any(UnreadableFile) });
      expect((r as PromiseRejectedResult).reason.message).toBe(`${fifo} is a FIFO (named pipe), not a regular file`);
    }
  });

  it('refuses a device and a folder', async () => {
    await expect(readRegularFile('/dev/zero', LIMITS)).rejects.toThrow('/dev/zero is a device, not a regular file');
    const dir = await tempDir('hg-read-');
    await expect(readRegularFile(dir, LIMITS)).rejects.toThrow(`${dir} is a folder, not a regular file`);
  });

  it('refuses a file above the size limit without reading it', async () => {
    const file = path.join(await tempDir('hg-read-'), 'big.png');
    await fs.writeFile(file, Buffer.alloc(1025));
    await expect(readRegularFile(file, LIMITS)).rejects.toThrow(`${file} is 1025 bytes, above the limit of 1024`);
  });
});

describe('deadlines and slots', () => {
  it('answers with the timeout error when the work never finishes', async () => {
    const never = new Promise<string>(() => undefined);
    await expect(withDeadline(never, 50, () => new UnreadableFile('too slow'))).rejects.toThrow('too slow');
    await expect(withDeadline(Promise.resolve('done'), 50, () => new Error('no'))).resolves.toBe('done');
  });

  it('runs at most n tasks at once, in order, and a stuck task holds only its own slot', async () => {
    const limit = slots(MAX_READS);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const stuck = limit(() => new Promise<void>(() => undefined));
    const tasks = Array.from({ length: 6 }, (_, i) =>
      limit(async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        running--;
      }),
    );
    await Promise.all(tasks);
    expect(most).toBe(MAX_READS - 1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    void stuck;
  });
});
