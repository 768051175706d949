import { afterEach, describe, expect, it } from 'vitest';
import { AppState } from '../../../../renderer/lib/app.svelte';
import { fakeApi } from '#test/unit/renderer/fake-api';

const g = globalThis as { localStorage?: unknown };
afterEach(() => delete g.localStorage);

describe('AppState image background', () => {
  it('shows transparent pixels on a checkerboard by default, and remembers another choice', () => {
    const saved = new Map<string, string>();
    g.localStorage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    const app = new AppState(fakeApi({}).api);
    expect(app.imageBackground).toBe('checker');
    app.setImageBackground('light');
    expect(new AppState(fakeApi({}).api).imageBackground).toBe('light');
    saved.set('homegrown.imageBackground', 'purple');
    expect(new AppState(fakeApi({}).api).imageBackground).toBe('checker');
  });
});
