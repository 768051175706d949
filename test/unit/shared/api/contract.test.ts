import { describe, expect, it } from 'vitest';
import { API, ApiEventSchema, imagePath, isMethodName, METHOD_NAMES } from '#shared/api/index';

describe('API contract', () => {
  it('has a schema pair for exactly the listed method names', () => {
    expect(Object.keys(API).sort()).toEqual([...METHOD_NAMES].sort());
    expect(isMethodName('runs.start')).toBe(true);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });

  it('refuses unknown input keys and wrong types, and fills defaults', () => {
    expect(API['runs.get'].input.safeParse({ id: 1, extra: true }).success).toBe(false);
    expect(API['runs.get'].input.safeParse({ id: '1' }).success).toBe(false);
    expect(API['runs.start'].input.safeParse({ datasetId: 1, model: 'gan', size: 50 }).success).toBe(false);
    const g = API['generate.start'].input.parse({ runId: 1, prompt: 'red' });
    expect(g).toMatchObject({ negative: '', seedMode: 'random', count: 1, mode: 'single', presetIds: [] });
    expect(API['gallery.rate'].input.safeParse({ id: 1, rating: 6 }).success).toBe(false);
  });

  it('parses every event type and rejects a malformed one', () => {
    const progress = { type: 'run.progress', runId: 1, step: 3, targetStep: 10, losses: { d: 1 }, imagesPerSec: 2, etaSeconds: null };
    expect(ApiEventSchema.parse(progress)).toEqual(progress);
    expect(ApiEventSchema.safeParse({ ...progress, step: 'x' }).success).toBe(false);
    const state = { type: 'run.state', runId: 1, state: 'failed', message: 'out of memory' };
    expect(ApiEventSchema.parse(state)).toEqual(state);
  });

  it('builds image paths from kind and id only', () => {
    expect(imagePath('generation', 12)).toBe('/api/image/generation/12');
  });
});
