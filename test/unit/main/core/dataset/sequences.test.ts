import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '#main/cli/doctor';
import { examineFolder } from '#core/dataset/doctor';
import { findSequences, naturalCompare } from '#core/dataset/sequences';
import { buildMovingSprites } from '#test/fixtures/moving-sprites';

const png = (w: number, h: number, shade: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: shade, g: 255 - shade, b: 90 } } })
    .png()
    .toBuffer();

describe('findSequences', () => {
  const frame = (path: string, width = 32, phash = '0000000000000000') => ({ path, width, height: 32, phash });

  it('natural sort puts frame 10 after frame 9', () => {
    expect(['walk_10.png', 'walk_2.png', 'walk_1.png'].sort(naturalCompare)).toEqual(['walk_1.png', 'walk_2.png', 'walk_10.png']);
  });

  it('takes folders of numbered frames of one stem, in natural order, and nothing else', () => {
    const seqs = findSequences([
      frame('walk/walk_10.png'),
      frame('walk/walk_9.png'),
      frame('walk/walk_1.png', 32, 'ffffffffffffffff'),
      frame('mixed/a_1.png'),
      frame('mixed/b_2.png'), // two stems: not a sequence
      frame('cats/tabby.png'), // no frame number
      frame('loose_1.png'),
      frame('loose_2.png'), // the root is never a sequence
      frame('solo/jump_1.png'),
    ]);
    expect(seqs.map((s) => s.folder)).toEqual(['solo', 'walk']);
    expect(seqs[1]!.frames).toEqual(['walk/walk_1.png', 'walk/walk_9.png', 'walk/walk_10.png']);
    expect(seqs[1]!.loops).toBe(false); // first and last frames differ in every hash bit
    expect(seqs[0]!.frames).toHaveLength(1);
  });

  it('reports loops and size disagreement', () => {
    const [loop] = findSequences([frame('spin/1.png'), frame('spin/2.png', 32, '00000000ffffffff'), frame('spin/3.png')]);
    expect(loop!.loops).toBe(true);
    const [mixed] = findSequences([frame('run/run_1.png'), frame('run/run_2.png', 40)]);
    expect(mixed).toMatchObject({ sameSize: false, sizes: ['32×32', '40×32'] });
  });
});

describe('the Dataset Doctor reports sequences', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ root, cleanup } = await buildMovingSprites({ perMotion: 1, frames: 4, motions: ['left', 'rotate'] }));
    await mkdir(join(root, 'solo'));
    await writeFile(join(root, 'solo', 'idle_01.png'), await png(32, 32, 10));
    await mkdir(join(root, 'sizes'));
    await writeFile(join(root, 'sizes', 'hop_01.png'), await png(32, 32, 10));
    await writeFile(join(root, 'sizes', 'hop_02.png'), await png(48, 32, 200));
  });
  afterAll(() => cleanup());

  it('with frame counts, size agreement, and problems for one-frame and mixed-size sequences', async () => {
    const report = await examineFolder(root);
    expect(report.sequences.map((s) => [s.folder, s.frames.length, s.sameSize])).toEqual([
      ['left-1', 4, true],
      ['rotate-1', 4, true],
      ['sizes', 2, false],
      ['solo', 1, true],
    ]);
    expect(report.files.find((f) => f.path === 'left-1/left_01.png')).toMatchObject({ caption: 'left' });
    const problems = report.summary.fixes.map((f) => [f.problem, f.examples]);
    expect(problems).toContainEqual(['sequences with only one frame', ['solo']]);
    expect(problems).toContainEqual(['sequences whose frames differ in size', ['sizes']]);
    const text = formatReport(report);
    expect(text).toContain('Sequences (4)');
    expect(text).toContain('left-1/: 4 frames, 32×32');
    expect(text).toContain('sizes/: 2 frames, sizes differ: 32×32, 48×32');
  });
});

describe('near-duplicates and sequences', () => {
  it('frames of one sequence are not near-duplicates of each other; a loose copy of a frame still is', async () => {
    const { root, cleanup } = await buildMovingSprites({ perMotion: 1, frames: 2, motions: ['left'] });
    try {
      await mkdir(join(root, 'idle'));
      for (const n of [1, 2, 3]) await writeFile(join(root, 'idle', `idle_0${n}.png`), await png(32, 32, 10));
      await mkdir(join(root, 'blink'));
      for (const n of [1, 2]) await writeFile(join(root, 'blink', `blink_0${n}.png`), await png(32, 32, 200));
      await writeFile(join(root, 'loose.png'), await png(32, 32, 200));
      const report = await examineFolder(root);
      expect(report.sequences.map((s) => s.folder)).toEqual(['blink', 'idle', 'left-1']);
      expect(report.nearDuplicates).toEqual([['blink/blink_01.png', 'blink/blink_02.png', 'loose.png']]);
    } finally {
      await cleanup();
    }
  });
});
