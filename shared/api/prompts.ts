// Prompt history, prompt checking and autocomplete, and presets (A1111 styles).
import { z } from 'zod';
import { MAX_TEMPLATE_LENGTH } from '../prompt/wildcards';
import { PlainText } from './prompt-text';
import { Id, Ok, PageQuery, pageOf } from './common';

export const PromptUse = z.object({
  id: Id,
  prompt: z.string(),
  negative: z.string(),
  runId: Id.nullable(),
  firstUsedAt: z.number(),
  lastUsedAt: z.number(),
  useCount: z.int(),
});

const UnknownWord = z.object({
  word: z.string(),
  suggestions: z.array(z.object({ token: z.string(), distance: z.int(), count: z.int() })),
});

/** A run of prompt text with its attention weight, for syntax highlighting. */
export const PromptSegment = z.object({ text: z.string(), weight: z.number() });

export const PromptCheck = z.object({
  /** Parse problems (e.g. an unbalanced bracket), one line each; empty when the prompt is fine. */
  errors: z.array(z.string()),
  segments: z.array(PromptSegment),
  negativeSegments: z.array(PromptSegment),
  /** Known words (only with a run). */
  known: z.array(z.string()),
  /**
   * Words of the prompt the run's model never saw (they have no effect), with suggestions: another
   * form of the word first (dwarf → dwarves), then spelling neighbours. Only with a run.
   */
  unknown: z.array(UnknownWord),
  /** The same for the negative prompt. */
  negativeUnknown: z.array(UnknownWord),
});

export const Preset = z.object({
  id: Id,
  name: z.string(),
  /** Positive template; `{prompt}` marks where the prompt goes (else it is appended). */
  positive: z.string(),
  negative: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const PresetInput = z.strictObject({ name: PlainText.min(1), positive: PlainText, negative: PlainText.default('') });
export const PresetFormat = z.enum(['csv', 'json']);

export const promptMethods = {
  /** Most recently used first; `text` searches prompt words (full-text, prefix). */
  'prompts.history': { input: z.strictObject({ text: z.string().optional(), ...PageQuery }), output: pageOf(PromptUse) },
  'prompts.check': {
    input: z.strictObject({
      prompt: PlainText.max(MAX_TEMPLATE_LENGTH),
      negative: PlainText.max(MAX_TEMPLATE_LENGTH).default(''),
      runId: Id.optional(),
    }),
    output: PromptCheck,
  },
  /** Completions of the word being typed from the run's vocabulary, most frequent first. */
  'prompts.complete': {
    input: z.strictObject({ runId: Id, prefix: z.string(), limit: z.int().min(1).max(50).default(10) }),
    output: z.array(z.object({ token: z.string(), count: z.int() })),
  },
  'presets.list': { input: z.strictObject({}), output: z.array(Preset) },
  'presets.create': { input: PresetInput, output: Preset },
  'presets.update': { input: z.strictObject({ id: Id, preset: PresetInput }), output: Preset },
  'presets.delete': { input: z.strictObject({ id: Id }), output: Ok },
  /** A1111 styles.csv or the name/prompt/negative_prompt JSON list; existing names are kept unless `replace`. */
  'presets.import': {
    input: z.strictObject({ format: PresetFormat, text: z.string(), replace: z.boolean().default(false) }),
    output: z.object({ created: z.int(), updated: z.int(), skipped: z.array(z.string()) }),
  },
  'presets.export': {
    input: z.strictObject({ format: PresetFormat, ids: z.array(Id).optional() }),
    output: z.object({ text: z.string(), filename: z.string() }),
  },
} as const;

export type PromptUse = z.infer<typeof PromptUse>;
export type PromptCheck = z.infer<typeof PromptCheck>;
export type PromptSegment = z.infer<typeof PromptSegment>;
export type Preset = z.infer<typeof Preset>;
export type PresetInput = z.infer<typeof PresetInput>;
export type PresetFormat = z.infer<typeof PresetFormat>;
