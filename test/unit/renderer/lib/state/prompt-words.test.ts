import { describe, expect, it } from 'vitest';
import { PromptWords } from '../../../../../renderer/lib/state/prompt-words.svelte';
import { fakeApi } from '#test/unit/renderer/fake-api';

// A run that knows "red", "circle" and "square": any other word is unknown, with "circle" suggested.
const checked = (i: { prompt: string }) => ({
  errors: [],
  segments: [],
  negativeSegments: [],
  known: [],
  negativeUnknown: [],
  unknown: i.prompt
    .split(/[\s,]+/u)
    .filter((w) => w && !['red', 'circle', 'square'].includes(w))
    .map((word) => ({ word, suggestions: [{ token: 'circle', distance: 1, count: 4 }] })),
});

describe('PromptWords', () => {
  it('lists the unknown words of each box under its own name, and nothing without a run', async () => {
    const f = fakeApi({ 'prompts.check': checked });
    const words = new PromptWords(f.api);
    await words.check(3, { from: 'red, circel', to: 'red, square', negative: 'zorp' });
    expect(Object.keys(words.unknown).sort()).toEqual(['from', 'negative']);
    expect(words.unknown['from']![0]).toMatchObject({ word: 'circel', suggestions: [{ token: 'circle' }] });
    expect(f.calls.map((c) => c.input)).toEqual([
      { prompt: 'red, circel', runId: 3 },
      { prompt: 'red, square', runId: 3 },
      { prompt: 'zorp', runId: 3 },
    ]);
    await words.check(null, { from: 'circel' });
    expect(words.unknown).toEqual({});
  });

  it('drops an answer that comes back after a newer check', async () => {
    let release!: () => void;
    const f = fakeApi({
      'prompts.check': (i: { prompt: string }) => (i.prompt === 'old' ? new Promise((r) => (release = () => r(checked(i)))) : checked(i)),
    });
    const words = new PromptWords(f.api);
    const first = words.check(1, { prompt: 'old' });
    await words.check(1, { prompt: 'red' });
    release();
    await first;
    expect(words.unknown).toEqual({});
  });
});
