// The Walk page's prompt boxes and checkpoint picker, as on the Generate page: weights and brackets
// highlighted, words the run never learned listed under their own box with clickable did-you-mean
// suggestions, and the walk drawn with the checkpoint chosen by its step.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp, skipReason } from './browser';
import { trainedServer, type TrainedServer } from './trained-server';

const reason = skipReason();

describe.skipIf(reason !== null)(`prompt help and checkpoints on the Walk page in Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let t: TrainedServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await trainedServer('homegrown-e2e-motion-prompts-', 4);
    browser = await launch();
    page = await openApp(browser, t.server, errors);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('highlights, suggests, and walks with the chosen checkpoint', { timeout: 120_000 }, async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Walk', exact: true }).click();
    const checkpoint = page.locator('select[name="checkpoint"]');
    await expect.poll(() => checkpoint.locator('option').allTextContents()).toEqual(['newest', 'step 2', 'step 4']);
    await checkpoint.selectOption({ label: 'step 2' });

    const from = page.locator('.editor', { has: page.locator('#from') });
    await page.getByLabel('From').fill('(red:1.4), circel');
    expect(await from.locator('pre .bracket').allTextContents()).toEqual(['(']);
    expect(await from.locator('pre .weight').allTextContents()).toEqual([':1.4)']);
    // The weighted word is drawn warmer than the rest.
    const colour = (text: string) =>
      from.locator('pre .text', { hasText: text }).evaluate((el) => (el as unknown as { style: { color: string } }).style.color);
    expect(await colour('red')).toMatch(/^rgb/);
    expect(await colour('circel')).toBe('var(--text)');
    // The misspelt word is listed under From only, with the run's word offered as a button.
    await expect.poll(() => page.getByTestId('from-unknown').textContent()).toContain('circel');
    await page.getByLabel('To').fill('blue, square');
    await page.getByLabel('Negative prompt').fill('zorp');
    await expect.poll(() => page.getByTestId('negative-unknown').textContent()).toContain('zorp');
    expect(await page.getByTestId('to-unknown').count()).toBe(0);
    await page.getByTestId('from-unknown').getByRole('button', { name: 'circle' }).click();
    expect(await page.getByLabel('From').inputValue()).toBe('(red:1.4), circle');
    await expect.poll(() => page.getByTestId('from-unknown').count()).toBe(0);
    // Typing offers the run's words that start so.
    await page.getByLabel('To').fill('blue, sq');
    await page.getByRole('listbox', { name: 'Words the model knows' }).getByRole('option', { name: 'square' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('To').inputValue()).toBe('blue, square');

    await page.locator('input[name="frames"]').fill('3');
    await page.getByRole('button', { name: 'Walk', exact: true }).click();
    await page.locator('.stage').waitFor({ timeout: 60_000 });
    const step2 = (await t.call('runs.get', { id: t.runId })).checkpoints.find((c) => c.step === 2)!;
    const [walk] = (await t.call('gallery.query', { sequences: true })).items;
    expect(walk).toMatchObject({ prompt: '(red:1.4), circle', negative: 'zorp', checkpointId: step2.id, params: { step: 2 } });
    expect(errors).toEqual([]);
  });
});
