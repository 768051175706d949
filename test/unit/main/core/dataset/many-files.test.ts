// Promise 16's "many files": the hostile folder plus 50 000 more files (empty, so that the test measures
// the walk and the bookkeeping rather than decoding), examined by the doctor and the loader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examineFolder } from '#core/dataset/doctor';
import { loadDataset } from '#core/dataset/load';
import { buildHostileFolder, manyFilePath, type HostileFolder } from '#test/fixtures/hostile-folder';

const MANY = 50_000;
// Generous bounds that still catch a walk gone quadratic or a report holding file contents: on an idle
// 2-core machine the doctor takes about 5 s here and grows memory by well under 100 MB.
const MAX_SECONDS = 45;
const MAX_GROWTH_MB = 400;

let folder: HostileFolder;

beforeAll(async () => {
  folder = await buildHostileFolder({ manyFiles: MANY });
});
afterAll(() => folder.cleanup());

describe(`a hostile folder with ${MANY} more files`, () => {
  it('is fully accounted for by the doctor, in bounded time and memory', async () => {
    const rss = process.memoryUsage().rss;
    const started = performance.now();
    const report = await examineFolder(folder.root);
    expect((performance.now() - started) / 1000).toBeLessThan(MAX_SECONDS);
    expect((process.memoryUsage().rss - rss) / 2 ** 20).toBeLessThan(MAX_GROWTH_MB);

    const many = report.files.filter((f) => f.path.startsWith('many/'));
    expect(many).toHaveLength(MANY);
    expect(many.every((f) => f.status === 'skipped' && f.code === 'empty')).toBe(true);
    expect(many[12_345]!.path).toBe(manyFilePath(12_345));
    expect(report.summary.accepted).toBeGreaterThanOrEqual(20);
  });

  it('loads with the same accounting', async () => {
    const started = performance.now();
    const loaded = await loadDataset(folder.root, { size: 8 });
    expect((performance.now() - started) / 1000).toBeLessThan(MAX_SECONDS);
    expect(loaded.skipped.filter((s) => s.path.startsWith('many/'))).toHaveLength(MANY);
    expect([loaded.images.count, loaded.images.stride]).toEqual([loaded.items.length, 8 * 8 * 3]);
  });
});
