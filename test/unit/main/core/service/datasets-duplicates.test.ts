// Deciding on near-duplicate groups in the app: "set aside" moves the extra files (and their captions)
// into the folder's .set-aside/ (nothing deleted; the Doctor and training skip it), "not duplicates" is
// remembered in the store; the summary speaks the app's words, not command-line flags.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { loadDataset } from '#core/dataset/load';
import { examineFolder } from '#core/dataset/doctor';
import { buildAppDataset } from '#test/fixtures/app-dataset';
import { tempDir } from '#test/fixtures/app-service';

let service: AppService;
let folder: Awaited<ReturnType<typeof buildAppDataset>>;
const open = () => service.call('datasets.open', { folder: folder.root }) as Promise<Output<'datasets.open'>>;
const namesOf = (report: Output<'datasets.open'>) =>
  report.nearDuplicates.map((g) => g.map((id) => report.images.find((i) => i.imageId === id)!.path));

beforeAll(async () => {
  folder = await buildAppDataset(1);
  service = await AppService.open({ home: await tempDir('hg-dup-home-') });
});

afterAll(async () => {
  await service?.close();
  await folder?.cleanup();
});

describe('near-duplicate groups in the app', () => {
  it('the summary names no command-line flag and leaves the groups to the page', async () => {
    const report = await open();
    expect(namesOf(report)).toEqual([['red-circle-0.png', 'red-circle-copy.png']]);
    const words = report.summary.fixes.map((f) => `${f.problem} ${f.action}`).join('\n');
    expect(words).not.toMatch(/--|keep one/);
    expect(words).not.toMatch(/near-duplicate/);
    // The command line keeps its own words.
    const cli = (await examineFolder(folder.root)).summary.fixes.map((f) => f.action).join('\n');
    expect(cli).toMatch(/keep one image of each group/);
  });

  it('"not duplicates" is remembered: the group is not listed again', async () => {
    const report = await open();
    await service.call('datasets.notDuplicates', { datasetId: report.dataset.id, paths: namesOf(report)[0]! });
    expect(namesOf(await open())).toEqual([]);
  });

  it('set aside moves the image and its caption into .set-aside/, which the Doctor and training skip', async () => {
    const report = await open();
    const before = report.summary.accepted;
    const r = (await service.call('datasets.setAside', {
      datasetId: report.dataset.id,
      paths: ['red-circle-copy.png'],
    })) as Output<'datasets.setAside'>;
    expect(r).toEqual({
      folder: path.join(folder.root, '.set-aside'),
      moved: [{ from: 'red-circle-copy.png', to: '.set-aside/red-circle-copy.png' }],
    });
    expect(existsSync(path.join(folder.root, 'red-circle-copy.png'))).toBe(false);
    expect(await fs.readFile(path.join(folder.root, '.set-aside', 'red-circle-copy.txt'), 'utf8')).toBe('red, circle\n');
    const after = await open();
    expect(after.summary.accepted).toBe(before - 1);
    expect(after.images.map((i) => i.path)).not.toContain('red-circle-copy.png');
    expect(after.skipped).toContainEqual(expect.objectContaining({ path: '.set-aside', code: 'set-aside' }));
    const loaded = await loadDataset(folder.root, { size: 32 });
    loaded.images.close();
    expect(loaded.items.map((i) => i.path).filter((p) => p.includes('set-aside') || p === 'red-circle-copy.png')).toEqual([]);
  });

  it('a name already set aside gets a number; nothing is overwritten', async () => {
    const report = await open();
    await fs.copyFile(path.join(folder.root, 'red-circle-0.png'), path.join(folder.root, 'red-circle-copy.png'));
    await open();
    const r = (await service.call('datasets.setAside', {
      datasetId: report.dataset.id,
      paths: ['red-circle-copy.png'],
    })) as Output<'datasets.setAside'>;
    expect(r.moved).toEqual([{ from: 'red-circle-copy.png', to: '.set-aside/red-circle-copy (2).png' }]);
    expect(existsSync(path.join(folder.root, '.set-aside', 'red-circle-copy.png'))).toBe(true);
  });

  it('refuses paths that are not images of the dataset', async () => {
    const report = await open();
    await expect(service.call('datasets.setAside', { datasetId: report.dataset.id, paths: ['../outside.png'] })).rejects.toMatchObject({
      code: 'user',
    });
    await expect(service.call('datasets.setAside', { datasetId: report.dataset.id, paths: ['notes.jpg'] })).rejects.toMatchObject({
      code: 'user',
      message: expect.stringMatching(/notes\.jpg is not an image/),
    });
  });
});
