// Dataset captions written into the user's folder: a sidecar is only ever a regular file inside the
// dataset folder, whatever links or special files sit where it goes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { shapesFolder, tempDir } from '#test/fixtures/app-service';

let service: AppService;
let data: string;
let report: Output<'datasets.open'>;

const imageId = (name: string) => report.images.find((i) => i.path === name)!.imageId;
const setCaption = (name: string, caption: string) =>
  service.call('datasets.setCaption', { imageId: imageId(name), caption, writeSidecar: true }) as Promise<Output<'datasets.setCaption'>>;

beforeAll(async () => {
  data = await shapesFolder(path.join(await tempDir('hg-datasets-data-'), 'shapes'));
  // Images without sidecars, so the caption is written to a name that is free or taken by a link.
  for (const name of ['red-circle-0', 'blue-square-0', 'green-triangle-0']) await fs.rm(path.join(data, `${name}.txt`));
  service = await AppService.open({ home: await tempDir('hg-datasets-home-') });
  report = (await service.call('datasets.open', { folder: data })) as Output<'datasets.open'>;
});

afterAll(async () => {
  await service?.close();
});

describe('datasets.setCaption with writeSidecar', () => {
  it('never follows a dangling symlink out of the dataset folder', async () => {
    const outside = path.join(await tempDir('hg-outside-'), 'created.txt');
    await fs.symlink(outside, path.join(data, 'red-circle-0.txt'));
    await expect(setCaption('red-circle-0.png', 'red, circle')).rejects.toMatchObject({
      code: 'user',
      message: expect.stringMatching(/red-circle-0\.txt.*symbolic link/),
    });
    await expect(fs.lstat(outside)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await fs.lstat(path.join(data, 'red-circle-0.txt'))).isSymbolicLink()).toBe(true);
  });

  it('never writes through a symlink to an existing file, inside or outside', async () => {
    const outside = path.join(await tempDir('hg-outside-'), 'kept.txt');
    await fs.writeFile(outside, 'untouched\n');
    await fs.symlink(outside, path.join(data, 'blue-square-0.txt'));
    await expect(setCaption('blue-square-0.png', 'blue, square')).rejects.toMatchObject({ code: 'user' });
    expect(await fs.readFile(outside, 'utf8')).toBe('untouched\n');
  });

  it('refuses a FIFO where the sidecar goes, without blocking', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(data, 'green-triangle-0.txt')]);
    await expect(setCaption('green-triangle-0.png', 'green, triangle')).rejects.toMatchObject({
      code: 'user',
      message: expect.stringMatching(/not a regular file/),
    });
  });

  it('writes a regular file in place, leaving no temporary file behind', async () => {
    const written = await setCaption('red-square-0.png', 'red, square, big');
    expect(written.sidecarPath).toBe(path.join(data, 'red-square-0.txt'));
    expect(await fs.readFile(written.sidecarPath!, 'utf8')).toBe('red, square, big\n');
    expect((await fs.readdir(data)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });
});

describe('text with control characters', () => {
  it('is refused at the service edge, saying where, before anything is stored', async () => {
    const image = imageId('red-square-0.png');
    const before = service.store.datasets.images(report.dataset.id).find((i) => i.id === image)!.caption;
    await expect(
      service.call('datasets.setCaption', { imageId: image, caption: 'red\u0000square', writeSidecar: false }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'Invalid input: caption: contains the control character U+0000 at character 4; this text must be plain text, so remove it',
    });
    expect(service.store.datasets.images(report.dataset.id).find((i) => i.id === image)!.caption).toBe(before);
    await expect(service.call('generate.start', { runId: 1, prompt: 'red\u0000square' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^Invalid input: prompt: contains the control character U\+0000/),
    });
    expect(((await service.call('prompts.history', {})) as Output<'prompts.history'>).items).toEqual([]);
  });
});
