import { describe, expect, it } from 'vitest';
import { API } from '#shared/api/index';
import { ExportState } from '../../../../../renderer/lib/state/export.svelte';
import { fakeApi } from '#test/unit/renderer/fake-api';

describe('ExportState', () => {
  it('sends files with only the image operations that are switched on', () => {
    const x = new ExportState(fakeApi({}).api, [3, 4]);
    expect(x.ready).toBe(false);
    x.folder = ' /out ';
    expect(x.ready).toBe(true);
    expect(x.imagesInput()).toEqual({
      generationIds: [3, 4],
      folder: '/out',
      zip: false,
      template: '{run}_{seed}_{prompt}',
      format: 'png',
      overwrite: false,
    });
    x.upscale = 4;
    x.palette = true;
    x.colors = 8;
    x.keyOut = true;
    x.tolerance = 30;
    x.softness = 0;
    x.template = '';
    expect(x.imagesInput()).toEqual({
      generationIds: [3, 4],
      folder: '/out',
      zip: false,
      format: 'png',
      overwrite: false,
      upscale: 4,
      palette: { colors: 8 },
      keyOut: { tolerance: 30, softness: 0 },
    });
    x.keyColour = '#ffffff';
    expect(x.imagesInput().keyOut).toEqual({ tolerance: 30, softness: 0, colour: '#ffffff' });
    // What the dialog sends passes the contract's schema.
    expect(API['export.images'].input.safeParse(x.imagesInput()).success).toBe(true);
  });

  it('sends a sprite sheet with its layout; columns only for a grid', () => {
    const x = new ExportState(fakeApi({}).api, [1]);
    x.target = 'sheet';
    expect(x.ready).toBe(false);
    x.sheet = '/out/s.png';
    x.columns = 4;
    expect(x.sheetInput()).toEqual({
      generationIds: [1],
      sheet: '/out/s.png',
      mode: 'pack',
      atlas: 'hash',
      padding: 2,
      extrude: 0,
      trim: false,
      pot: false,
      template: '{index}',
      overwrite: false,
    });
    Object.assign(x, { mode: 'grid', atlas: 'array', padding: 0, extrude: 1, trim: true, pot: true, upscale: 2 });
    // A grid never trims (the dialog says why instead of offering it).
    expect(x.sheetInput()).toMatchObject({
      mode: 'grid',
      atlas: 'array',
      columns: 4,
      padding: 0,
      extrude: 1,
      trim: false,
      pot: true,
      upscale: 2,
    });
    expect(API['export.sheet'].input.safeParse(x.sheetInput()).success).toBe(true);
  });

  it('keeps the frames in the order shown, or reverses them', () => {
    const x = new ExportState(fakeApi({}).api, [9, 7, 8]);
    x.sheet = '/out/s.png';
    expect(x.sheetInput().generationIds).toEqual([9, 7, 8]);
    x.frameOrder = 'reversed';
    expect(x.sheetInput().generationIds).toEqual([8, 7, 9]);
    expect(x.ids).toEqual([9, 7, 8]);
  });

  it('calls the method for its target and reports the result or the error', async () => {
    const f = fakeApi({
      'export.images': () => ({ files: ['/out/a.png'], count: 1, target: '/out' }),
      'export.sheet': (i: { sheet: string }) => {
        if (i.sheet.endsWith('taken.png')) throw new Error('/out/taken.png exists; choose another name or pass --overwrite');
        return { sheet: i.sheet, atlas: i.sheet.replace('.png', '.json'), frames: ['1.png', '2.png'], width: 64, height: 32 };
      },
    });
    const x = new ExportState(f.api, [1, 2]);
    x.folder = '/out';
    await x.submit();
    expect(x.done).toBe('Exported 1 image to /out');
    x.target = 'sheet';
    x.sheet = '/out/s.png';
    await x.submit();
    expect(x.done).toBe('Sprite sheet of 2 frames (64×32): /out/s.png and /out/s.json');
    x.sheet = '/out/taken.png';
    await x.submit();
    expect([x.done, x.error, x.busy]).toEqual([null, '/out/taken.png exists; choose another name or pass --overwrite', false]);
    expect(f.calls.map((c) => c.method)).toEqual(['export.images', 'export.sheet', 'export.sheet']);
  });
});
