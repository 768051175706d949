// Presets (A1111 "styles"): a positive template that may contain `{prompt}` and a negative template.
// Applying follows A1111's merge_prompts; files are A1111's styles.csv and the name/prompt/
// negative_prompt JSON list that style packs use. Storing presets is the store's job, not this one.
import { formatCsv, parseCsv } from './csv';
import { PromptError } from './errors';

export interface Preset {
  name: string;
  prompt: string;
  negativePrompt: string;
}

export interface PromptPair {
  prompt: string;
  negativePrompt: string;
}

/** `{prompt}` is replaced (every occurrence); without it the template is appended after ", ". */
export function applyTemplate(template: string, prompt: string): string {
  if (template.includes('{prompt}')) return template.split('{prompt}').join(prompt);
  return [prompt.trim(), template.trim()].filter((s) => s !== '').join(', ');
}

/** Presets apply in order, each to the result of the previous one, positive and negative alike. */
export function applyPresets(pair: PromptPair, presets: Preset[]): PromptPair {
  return presets.reduce(
    (acc, p) => ({
      prompt: applyTemplate(p.prompt, acc.prompt),
      negativePrompt: applyTemplate(p.negativePrompt, acc.negativePrompt),
    }),
    pair,
  );
}

/** A1111 reads styles into a dict: a repeated name keeps its first position and its last value. */
function dedupe(presets: Preset[]): Preset[] {
  return [...new Map(presets.map((p) => [p.name, p] as const)).values()];
}

export function presetsToCsv(presets: Preset[]): string {
  return formatCsv([['name', 'prompt', 'negative_prompt'], ...presets.map((p) => [p.name, p.prompt, p.negativePrompt])]);
}

/** styles.csv as A1111 reads it: UTF-8 BOM allowed, old `name,text` files accepted. */
export function presetsFromCsv(text: string): Preset[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/u, ''), { skipInitialSpace: true });
  if (!header) return [];
  const column = (name: string) => header.lastIndexOf(name);
  const name = column('name');
  const prompt = column('prompt') >= 0 ? column('prompt') : column('text');
  const negative = column('negative_prompt');
  if (name < 0 || prompt < 0) {
    throw new PromptError('This styles file has no "name" and "prompt" columns (expected name,prompt,negative_prompt).');
  }
  return dedupe(
    rows.map((r) => ({ name: r[name] ?? '', prompt: r[prompt] ?? '', negativePrompt: negative < 0 ? '' : (r[negative] ?? '') })),
  );
}

export function presetsToJson(presets: Preset[]): string {
  const list = presets.map((p) => ({ name: p.name, prompt: p.prompt, negative_prompt: p.negativePrompt }));
  return JSON.stringify(list, null, 2) + '\n';
}

export function presetsFromJson(text: string): Preset[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PromptError(`This presets file is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new PromptError('A presets JSON file must be a list of {name, prompt, negative_prompt}.');
  return dedupe(
    data.map((item: unknown, i) => {
      const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      const field = (key: string, required: boolean): string => {
        const v = o[key];
        if (typeof v === 'string') return v;
        if (v === undefined && !required) return '';
        throw new PromptError(`Preset ${i + 1} in the JSON file needs "${key}" as text.`);
      };
      return { name: field('name', true), prompt: field('prompt', false), negativePrompt: field('negative_prompt', false) };
    }),
  );
}
