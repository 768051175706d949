// `homegrown export` and `homegrown sample --tile` end to end through the real binary: a store filled
// with generations, exports to a zip, a folder of WebP/JPEG and a sprite sheet, recipes read back with
// `homegrown info`, and the one-line refusals that leave files as they were.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { Store } from '#core/store/index';
import { HashAtlas } from '#test/fixtures/atlas-formats';
import { fillStore } from '#test/fixtures/export-store';
import { readZip } from '#test/fixtures/read-zip';
import { tempDir } from '../core/store/temp-home';
import { spawnCli } from '#test/fixtures/spawn-cli';

let home: string;
let ids: number[];

const hg = (...args: string[]) => spawnCli(args, { HOMEGROWN_HOME: home });

// Made here, not with tempDir(), which is emptied after every test.
beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-export-cli-'));
  const store = Store.open({ home });
  ids = (await fillStore(store)).map((g) => g.id);
  store.close();
});

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('homegrown export', () => {
  it('exports a query to a zip with a manifest, and ids to WebP and JPEG files whose recipe info reads back', async () => {
    const zip = path.join(tempDir(), 'best.zip');
    const z = hg('export', '--run', '1', '--rating', '4', '--zip', zip);
    expect(z.code).toBe(0);
    expect(z.err).toContain(`2 images and manifest.csv/json written to ${zip}`);
    // The same near-copy rule as the app's export: the fixture's run has no training folder to compare with.
    expect(z.err).toContain(`Not checked for near copies (their run's training folder is gone): ${ids[0]}, ${ids[2]}`);
    expect([...(await readZip(zip)).keys()]).toEqual([
      'fixture-gan32_1_red-round.png',
      'fixture-gan32_3_green-ünïcode-🌿.png',
      'manifest.json',
      'manifest.csv',
    ]);

    for (const format of ['webp', 'jpeg']) {
      const folder = path.join(tempDir(), format);
      const e = hg('export', '--ids', `${ids[1]}`, '--folder', folder, '--format', format, '--template', '{seed}-{prompt}');
      expect(e.code).toBe(0);
      const file = e.out.trim();
      expect(path.basename(file)).toBe(`2-blue-square.${format === 'jpeg' ? 'jpg' : 'webp'}`);
      expect(JSON.parse(hg('info', file, '--json').out)).toMatchObject({ prompt: 'blue, square', seed: 2, generationId: ids[1] });
      expect(hg('info', file).out).toMatch(/^blue, square\nSteps: 100, Seed: 2, Size: 32x32/u);
    }
  });

  it('packs a sprite sheet from the gallery with a Phaser/Pixi atlas, pixel-art options on the way', async () => {
    const sheet = path.join(tempDir(), 'sheet.png');
    const r = hg(
      'export',
      '--tag',
      'keep',
      '--sheet',
      sheet,
      '--trim',
      '--pot',
      '--padding',
      '1',
      '--extrude',
      '1',
      '--upscale',
      '2',
      '--palette',
      '#000000,#ffffff,#dc1e1e,#1ec83c',
    );
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toEqual([sheet, sheet.replace('.png', '.json')]);
    const atlas = HashAtlas.parse(JSON.parse(fs.readFileSync(sheet.replace('.png', '.json'), 'utf8')));
    expect(Object.keys(atlas.frames)).toEqual(['1.png', '2.png']);
    const meta = await sharp(sheet).metadata();
    expect([meta.width, meta.height]).toEqual([atlas.meta.size.w, atlas.meta.size.h]);
    for (const side of [meta.width!, meta.height!]) expect(Math.log2(side) % 1).toBe(0);
  });

  it('refuses bad input with one line and exit 1, leaving files as they were', () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'keep.txt'), 'mine');
    const cases: [string[], RegExp][] = [
      [['--tag', 'nobody', '--folder', path.join(folder, 'x')], /selection is empty/],
      [['--ids', String(ids[0]), '--folder', folder], /is not empty; choose another folder or pass --overwrite/],
      [['--ids', 'one', '--folder', path.join(folder, 'x')], /"one" is not one/],
      [['--ids', String(ids[0])], /Give --folder <dir> or --zip <file>/],
      [['--ids', String(ids[0]), '--folder', path.join(folder, 'x'), '--near-copies', 'keep'], /--near-copies.*flag, skip/],
      [['--folder', path.join(folder, 'x')], /Choose the images/],
      [['--ids', String(ids[0]), '--folder', path.join(folder, 'x'), '--template', '{nope}'], /Unknown template field \{nope\}/],
      [['--ids', String(ids[0]), '--folder', path.join(folder, 'x'), '--palette', '#12,#fff'], /"#12" is not a colour|palette/],
      [
        ['--ids', String(ids[0]), '--folder', path.join(folder, 'x'), '--home', path.join(folder, 'no-gallery')],
        /There is no Homegrown gallery at/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = hg('export', ...args);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
    }
    expect(fs.readdirSync(folder)).toEqual(['keep.txt']);
  });

  it('samples seamless tiles with a 3×3 preview, then exports those files by path', async () => {
    const root = tempDir();
    await writeShapesDataset(path.join(root, 'shapes'), { size: 32, perCombo: 1, seed: 5 });
    expect(
      hg('train', path.join(root, 'shapes'), '--size', '32', '--steps', '2', '--batch', '4', '--out', path.join(root, 'runs')).code,
    ).toBe(0);
    const run = path.join(root, 'runs', fs.readdirSync(path.join(root, 'runs'))[0]!);
    const s = hg('sample', run, 'red, circle', '--tile', 'xy', '-n', '2', '--out', path.join(root, 'tiles'));
    expect(s.code).toBe(0);
    const tiles = s.out.trim().split('\n');
    expect(tiles.map((t) => path.basename(t))).toEqual([`${path.basename(run)}-s0-tilexy.png`, `${path.basename(run)}-s1-tilexy.png`]);
    const preview = tiles[0]!.replace('.png', '-3x3.png');
    expect((await sharp(preview).metadata()).width).toBe(96);
    expect(hg('info', tiles[0]!).out).toContain('Tiling: xy');
    expect(JSON.parse(hg('info', preview, '--json').out)).toMatchObject({ tile: 'xy', seed: 0 });

    const out = path.join(root, 'pixel');
    const e = hg('export', ...tiles, '--folder', out, '--upscale', '4', '--template', '{source}');
    expect(e.code).toBe(0);
    expect((await sharp(path.join(out, `${path.basename(run)}-s1-tilexy.png`)).metadata()).width).toBe(128);
  }, 120_000);
});
