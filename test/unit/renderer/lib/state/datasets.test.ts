import { describe, expect, it } from 'vitest';
import { DatasetsState } from '../../../../../renderer/lib/state/datasets.svelte';
import { PresetsState } from '../../../../../renderer/lib/state/presets.svelte';
import { fakeApi } from '#test/unit/renderer/fake-api';

const image = (caption: string) => ({
  imageId: 4,
  path: 'a.png',
  width: 8,
  height: 8,
  format: 'png',
  mode: 'rgb',
  caption,
  captionSource: 'filename',
});
const report = {
  dataset: { id: 1, name: 'shapes', root: '/d', createdAt: 1, imageCount: 1 },
  images: [image('a')],
  skipped: [],
  captionFiles: [],
  nearDuplicates: [],
  vocabulary: [],
  summary: { found: 1, accepted: 1, skipped: 0, captionFiles: 0, fixes: [] },
};

describe('DatasetsState', () => {
  it("asks for a path, shows the server's message for a bad folder, then opens a good one", async () => {
    const f = fakeApi({
      'datasets.open': (i) => (i.folder === '/d' ? report : Promise.reject(new Error(`${i.folder} is not a folder`))),
      'datasets.list': () => [report.dataset],
    });
    const d = new DatasetsState(f.api);
    await d.open('  ');
    expect(d.error).toMatch(/Enter the path/);
    await d.open('/etc/passwd');
    expect(d.error).toBe('/etc/passwd is not a folder');
    expect(d.busy).toBe(false);
    await d.open(' /d ');
    expect(d.error).toBeNull();
    expect(d.accepted).toBe(1);
    expect(d.datasets).toHaveLength(1);
  });

  it('names the files of each near-duplicate group; a group is dismissed or its extra files set aside', async () => {
    const images = ['a.png', 'a-copy.png', 'b.png', 'b2.png', 'c.png'].map((path, i) => ({ ...image(''), imageId: i + 1, path }));
    const f = fakeApi({
      'datasets.open': () => ({
        ...report,
        images,
        nearDuplicates: [
          [2, 1],
          [3, 4],
        ],
      }),
      'datasets.list': () => [],
      'datasets.notDuplicates': () => ({ ok: true }),
      'datasets.setAside': (i) => ({ folder: '/d/.set-aside', moved: i.paths.map((p: string) => ({ from: p, to: `.set-aside/${p}` })) }),
    });
    const d = new DatasetsState(f.api);
    await d.open('/d');
    expect(d.duplicateGroups.map((g) => [g.key, g.images.map((i) => i.path)])).toEqual([
      ['1,2', ['a-copy.png', 'a.png']],
      ['3,4', ['b.png', 'b2.png']],
    ]);
    await d.dismiss(d.duplicateGroups[1]!);
    expect(d.duplicateGroups.map((g) => g.key)).toEqual(['1,2']);
    expect(f.calls.find((c) => c.method === 'datasets.notDuplicates')!.input).toEqual({ datasetId: 1, paths: ['b.png', 'b2.png'] });
    await d.setAside(d.duplicateGroups[0]!, 1);
    expect(f.calls.find((c) => c.method === 'datasets.setAside')!.input).toEqual({ datasetId: 1, paths: ['a-copy.png'] });
    // The folder is checked again after the move.
    expect(f.calls.filter((c) => c.method === 'datasets.open')).toHaveLength(2);
    expect(d.notice).toMatch(/^Moved 1 file to \/d\/\.set-aside \(nothing was deleted/);
  });

  it('takes a path as "copy as path" gives it, quotes and all', async () => {
    const f = fakeApi({ 'datasets.open': () => report, 'datasets.list': () => [] });
    const d = new DatasetsState(f.api);
    await d.open(' "/home/me/My Sprites" ');
    await d.open("'~/art'");
    expect(f.calls.filter((c) => c.method === 'datasets.open').map((c) => c.input.folder)).toEqual(['/home/me/My Sprites', '~/art']);
    expect(d.folder).toBe('~/art');
  });

  it('browses folders inside home in web mode and opens the chosen one', async () => {
    const f = fakeApi({
      'app.browseFolder': (i) =>
        i.folder === '/etc'
          ? Promise.reject(new Error('Only folders inside your home folder (/home/me) can be browsed here'))
          : { folder: i.folder ?? '/home/me', parent: i.folder ? '/home/me' : null, folders: ['art'] },
      'datasets.open': () => report,
      'datasets.list': () => [],
    });
    const d = new DatasetsState(f.api);
    await d.browse();
    expect(d.browsing).toEqual({ folder: '/home/me', parent: null, folders: ['art'] });
    await d.browse('/etc');
    expect([d.error, d.browsing?.folder]).toEqual(['Only folders inside your home folder (/home/me) can be browsed here', '/home/me']);
    await d.browse('/home/me/art');
    await d.chooseBrowsed();
    expect([d.browsing, f.calls.at(-2)]).toEqual([null, { method: 'datasets.open', input: { folder: '/home/me/art' } }]);
  });

  it('says whether a caption edit touched the folder', async () => {
    const f = fakeApi({
      'datasets.open': () => report,
      'datasets.list': () => [],
      'datasets.setCaption': (i) => ({ image: image(i.caption), sidecarPath: i.writeSidecar ? '/d/a.txt' : null }),
    });
    const d = new DatasetsState(f.api);
    await d.open('/d');
    await d.setCaption(4, 'red square', false);
    expect(d.report!.images[0]!.caption).toBe('red square');
    expect(d.notice).toMatch(/folder was not changed/);
    await d.setCaption(4, 'red square', true);
    expect(d.notice).toBe('Caption written to /d/a.txt');
  });
});

describe('DatasetsState.pick', () => {
  it('opens the folder chosen in the native dialog, does nothing when cancelled, and shows a refusal', async () => {
    let answer: unknown = { folder: '/d' };
    const f = fakeApi({
      'app.pickFolder': () => (answer instanceof Error ? Promise.reject(answer) : answer),
      'datasets.open': () => report,
      'datasets.list': () => [],
    });
    const d = new DatasetsState(f.api);
    await d.pick();
    expect(d.folder).toBe('/d');
    expect(d.report).not.toBeNull();
    answer = { folder: null };
    await d.pick();
    expect(f.calls.filter((c) => c.method === 'datasets.open')).toHaveLength(1);
    answer = new Error('Only the desktop app can show a folder dialog');
    await d.pick();
    expect(d.error).toBe('Only the desktop app can show a folder dialog');
  });
});

describe('PresetsState', () => {
  it('creates from a draft, reports imports, and shows refusals', async () => {
    const saved: unknown[] = [];
    const f = fakeApi({
      'presets.list': () => saved,
      'presets.create': (i) => (saved.push({ id: 1, ...i, createdAt: 1, updatedAt: 1 }), saved[0]),
      'presets.import': (i) =>
        i.text.includes('bad') ? Promise.reject(new Error('line 2: missing name')) : { created: 2, updated: 0, skipped: ['dup'] },
    });
    const p = new PresetsState(f.api);
    p.edit(null);
    p.draft!.name = ' ink ';
    await p.save();
    expect(f.calls.find((c) => c.method === 'presets.create')!.input).toEqual({ name: 'ink', positive: '{prompt}', negative: '' });
    expect(p.items).toHaveLength(1);
    expect(p.draft).toBeNull();
    await p.import('csv', 'name,prompt\na,b\nc,d');
    expect(p.notice).toBe('Imported: 2 new, 0 updated, skipped dup');
    await p.import('csv', 'bad');
    expect(p.error).toBe('line 2: missing name');
  });
});
