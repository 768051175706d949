import { describe, expect, it } from 'vitest';
import { captionClasses, holdOutSplit } from '#core/eval/labels';

describe('caption classes', () => {
  it('are the captions shared by at least four images, most frequent first', () => {
    const captions = [...Array(5).fill('cat'), ...Array(4).fill('dog'), ...Array(3).fill('owl')];
    const c = captionClasses(captions);
    expect(c).toEqual({ names: ['cat', 'dog'], labels: [0, 0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1] });
  });

  it('say why a folder has none', () => {
    expect(captionClasses(Array(9).fill('sprite'))).toEqual({ reason: 'every image has the same caption ("sprite")' });
    expect(captionClasses(['a', 'b', 'c', 'd'])).toEqual({ reason: 'fewer than two captions are shared by at least 4 images' });
  });
});

describe('hold-out split', () => {
  const paths = Array.from({ length: 10 }, (_, i) => `img${i}.png`);
  const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];

  it('holds out a fifth of each class, fixed by seed and path alone', () => {
    const held = holdOutSplit(paths, labels, 0);
    expect([...held].filter((i) => labels[i] === 0)).toHaveLength(1);
    expect([...held].filter((i) => labels[i] === 1)).toHaveLength(1);
    const reversed = holdOutSplit([...paths].reverse(), [...labels].reverse(), 0);
    expect([...reversed].map((i) => paths[9 - i]).sort()).toEqual([...held].map((i) => paths[i]).sort());
    expect(holdOutSplit(paths, labels, 0)).toEqual(held);
  });

  it('leaves images without a class out', () => {
    expect([
      ...holdOutSplit(
        paths,
        labels.map(() => -1),
        0,
      ),
    ]).toEqual([]);
  });
});
