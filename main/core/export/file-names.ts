// File names from a template such as "{run}_{seed}_{prompt}", safe on Windows, macOS and Linux
// (sanitize-filename: reserved characters and names, control characters, trailing dots, 255 bytes),
// and unique even on case-insensitive file systems.
import sanitize from 'sanitize-filename';
import { UserError } from '../errors';

export const DEFAULT_TEMPLATE = '{run}_{seed}_{prompt}';

/** Values a template can use; every field is optional because image files given by path may lack them. */
export interface NameFields {
  id?: number;
  run?: string;
  seed?: number;
  prompt?: string;
  negative?: string;
  step?: number;
  model?: string;
  rating?: number | null;
  /** 1-based position in the export. */
  index: number;
  /** File name (without extension) of the source image. */
  source?: string;
}

export const TEMPLATE_FIELDS: readonly (keyof NameFields)[] = [
  'id',
  'run',
  'seed',
  'prompt',
  'negative',
  'step',
  'model',
  'rating',
  'index',
  'source',
];

// Long prompts would crowd out the rest of the name; 60 characters keep it readable.
const MAX_FIELD = 60;
const MAX_NAME = 150;

/** Checks a template once, so a typo is refused before anything is written. */
export function checkTemplate(template: string): void {
  const unknown = [...template.matchAll(/\{([^}]*)\}/gu)].map((m) => m[1]!).filter((f) => !TEMPLATE_FIELDS.includes(f as keyof NameFields));
  if (unknown.length) {
    throw new UserError(`Unknown template field {${unknown[0]}}; use ${TEMPLATE_FIELDS.map((f) => `{${f}}`).join(' ')}`);
  }
  if (/[{}]/u.test(template.replace(/\{[a-z]+\}/gu, ''))) throw new UserError(`Unbalanced braces in the template "${template}"`);
}

function fieldText(value: NameFields[keyof NameFields]): string {
  if (value === undefined || value === null) return '';
  // Whitespace and commas become single dashes so "red, round" reads as "red-round".
  return String(value)
    .normalize('NFC')
    .replace(/[\s,]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .slice(0, MAX_FIELD);
}

/** One file's base name (no extension) from the template; illegal characters become "_". */
export function renderName(template: string, fields: NameFields): string {
  const raw = template.replace(/\{([a-z]+)\}/gu, (_, f: keyof NameFields) => fieldText(fields[f]));
  const safe = sanitize(raw.slice(0, MAX_NAME), { replacement: '_' }).replace(/^[\s.]+/u, '');
  return safe.replace(/^_+$/u, '');
}

/**
 * File names (with `.ext`) for every item, in order. Names that only differ in case clash on
 * Windows and macOS, so clashes are found case-insensitively and later ones get "-2", "-3"… in order.
 * `reserved` names (the manifest's) are treated as taken.
 */
export function uniqueNames(template: string, items: readonly NameFields[], ext: string, reserved: readonly string[] = []): string[] {
  checkTemplate(template);
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return items.map((fields) => {
    const base = renderName(template, fields);
    if (base === '')
      throw new UserError(`The template "${template}" gives an empty file name for item ${fields.index}; add {index} or {id}`);
    let name = base;
    for (let n = 2; taken.has(`${name}.${ext}`.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(`${name}.${ext}`.toLowerCase());
    return `${name}.${ext}`;
  });
}
