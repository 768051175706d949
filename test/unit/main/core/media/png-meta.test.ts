import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { embedRecipe, readRecipe } from '#core/media/png-meta';
import type { Recipe } from '#shared/recipe';

const recipe: Recipe = {
  prompt: 'red, (circle:1.3)',
  negative: 'blurry',
  seed: 42,
  model: 'gan',
  run: 'shapes-gan32',
  checkpoint: 'ab'.repeat(32),
  step: 500,
  size: 32,
  backend: 'wasm',
  appVersion: '0.1.0',
};

async function png(): Promise<Buffer> {
  return sharp(Buffer.alloc(4 * 4 * 3, 128), { raw: { width: 4, height: 4, channels: 3 } })
    .png()
    .toBuffer();
}

describe('PNG recipes', () => {
  it('round-trips the recipe and writes an A1111 parameters line', async () => {
    const out = embedRecipe(await png(), recipe);
    const back = readRecipe(out);
    expect(back.recipe).toEqual(recipe);
    expect(back.parameters).toBe(
      'red, (circle:1.3)\nNegative prompt: blurry\nSteps: 500, Seed: 42, Size: 32x32, Model hash: ababababab, Model: shapes-gan32, Sampler: gan, Backend: wasm, Version: homegrown 0.1.0',
    );
    // Still a valid image with the same pixels.
    const { data } = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    expect([...data].every((v) => v === 128)).toBe(true);
  });

  it('keeps non-Latin-1 prompts intact (iTXt)', async () => {
    const cjk = { ...recipe, prompt: '红色的圆形 🌸', negative: '' };
    const back = readRecipe(embedRecipe(await png(), cjk));
    expect(back.recipe?.prompt).toBe('红色的圆形 🌸');
    expect(back.parameters?.startsWith('红色的圆形 🌸\nSteps: 500')).toBe(true);
  });

  it('replaces an earlier recipe instead of stacking a second one', async () => {
    const twice = embedRecipe(embedRecipe(await png(), recipe), { ...recipe, seed: 7 });
    expect(readRecipe(twice).recipe?.seed).toBe(7);
    expect(twice.toString('latin1').split('homegrown\0').length - 1).toBe(1);
  });

  it('is deterministic', async () => {
    const p = await png();
    expect(embedRecipe(p, recipe).equals(embedRecipe(p, recipe))).toBe(true);
  });
});
