import { describe, expect, it } from 'vitest';
import { GalleryService, splitSearch } from '#core/service/gallery';
import { fillStore } from '#test/fixtures/export-store';
import { tempStore } from '../store/temp-home';

const rgba = [200, 50, 50, 255] as const;

describe('gallery search', () => {
  it('reads -word as "leave out prompts with this word"', () => {
    expect(splitSearch('red  -Blue -  -x-ray')).toEqual({ include: 'red -', exclude: ['blue', 'x', 'ray'] });
  });

  it('leaves out -word matches and still fills each page, with an exact cursor', async () => {
    const store = tempStore();
    const prompts = ['red knight', 'blue knight', 'red archer', 'blue archer', 'red mage', 'blue mage', 'red blueberry'];
    await fillStore(
      store,
      prompts.map((prompt, i) => ({ prompt, seed: i + 1, rgba: [...rgba] })),
    );
    const gallery = new GalleryService(store);
    const all = (text: string) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = gallery.query({ text, limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((g) => g.prompt));
        cursor = page.next ?? undefined;
      } while (cursor);
      return seen;
    };
    expect(all('-blue')).toEqual(['red mage', 'red archer', 'red knight']);
    expect(all('knight -blue')).toEqual(['red knight']);
    expect(gallery.query({ text: '-red -blue', limit: 5 })).toEqual({ items: [], next: null });
    expect(gallery.query({ text: 'red -blue', limit: 2 }).items.map((g) => g.prompt)).toEqual(['red mage', 'red archer']);
  });
});
