import { describe, expect, it } from 'vitest';
import { UserError } from '#core/errors';
import { parseConfig, PRESETS } from '#core/ml/config';

describe('training config', () => {
  it('fills defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ model: 'gan', size: 32, batch: 16, augment: ['color', 'translation', 'cutout'] });
  });

  it.each([
    [{ colour: 'red' }, /colour/],
    [{ model: 'diffusion' }, /model/],
    [{ size: 50 }, /size/],
    [{ batch: 0 }, /batch/],
    [{ augment: ['flip'] }, /augment/],
  ])('rejects %j with a UserError naming the field', (input, field) => {
    expect(() => parseConfig(input)).toThrow(UserError);
    expect(() => parseConfig(input)).toThrow(field);
  });

  it('reads an augment policy written on the command line', () => {
    expect(parseConfig({ augment: 'color, translation' }).augment).toEqual(['color', 'translation']);
    expect(parseConfig({ augment: 'none' }).augment).toEqual([]);
  });

  it("takes each model's own learning rate unless one is given, and keeps a saved run's", () => {
    expect(parseConfig({}).lr).toBe(5e-4);
    expect(parseConfig({ model: 'vae' }).lr).toBe(1e-3);
    expect(parseConfig({ model: 'ae' }).lr).toBe(1e-3);
    expect(parseConfig({ model: 'flow' }).lr).toBe(1e-3);
    expect(parseConfig({ model: 'gan', lr: 2e-4 }).lr).toBe(2e-4);
    expect(parseConfig(parseConfig({ model: 'vae' })).lr).toBe(1e-3);
  });

  it('presets are valid configs', () => {
    for (const p of Object.values(PRESETS)) expect(() => parseConfig(p)).not.toThrow();
  });
});

describe('numbers the config refuses', () => {
  it.each([
    [{ steps: 1_000_001 }, /steps: .*1000000/],
    [{ steps: 1e12 }, /steps/],
    [{ seed: 2 ** 32 }, /seed: .*4294967295/],
    [{ seed: -1 }, /seed/],
    [{ batch: 100_000_000 }, /batch: .*256/],
  ])('%j', (input, message) => {
    expect(() => parseConfig(input)).toThrow(UserError);
    expect(() => parseConfig(input)).toThrow(message);
  });

  it('accepts the edges', () => {
    expect(parseConfig({ steps: 1_000_000, seed: 2 ** 32 - 1 })).toMatchObject({ steps: 1_000_000, seed: 4294967295 });
  });
});
