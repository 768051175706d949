// Prompt history, checking a prompt (parse errors, weights for highlighting, words the model does not
// know) and completing words from a run's vocabulary; presets with A1111 styles.csv / JSON files.
import type { Preset, PromptCheck } from '#shared/api/prompts';
import { autocomplete, diagnosePrompt, type UnknownWord } from '#shared/prompt/diagnostics';
import { PromptError } from '#shared/prompt/errors';
import { parseAttention } from '#shared/prompt/parse';
import { countExpansions } from '#shared/prompt/wildcards';
import { presetsFromCsv, presetsFromJson, presetsToCsv, presetsToJson } from '#shared/prompt/presets';
import type { Vocabulary } from '#shared/vocabulary';
import type { Store } from '../store';
import type { PromptQuery } from '../store/prompts';
import { UserError } from '../errors';
import { mustExist } from './errors';
import type { ParsedInput } from '#shared/api/index';

export class PromptService {
  constructor(
    private readonly store: Store,
    private readonly vocabulary: (runId: number) => Vocabulary,
  ) {}

  history(query: PromptQuery) {
    return this.store.prompts.list(query);
  }

  check(input: ParsedInput<'prompts.check'>): PromptCheck {
    const errors: string[] = [];
    for (const [label, text] of [
      ['prompt', input.prompt],
      ['negative prompt', input.negative],
    ] as const) {
      try {
        countExpansions(text);
      } catch (e) {
        if (!(e instanceof PromptError)) throw e;
        errors.push(`${label}: ${e.message}`);
      }
    }
    const result: PromptCheck = {
      errors,
      segments: segmentsOf(input.prompt),
      negativeSegments: segmentsOf(input.negative),
      known: [],
      unknown: [],
      negativeUnknown: [],
    };
    if (input.runId !== undefined) {
      const vocab = this.vocabulary(input.runId);
      const [prompt, negative] = [diagnosePrompt(input.prompt, vocab), diagnosePrompt(input.negative, vocab)];
      result.known = [...new Set([...prompt.known, ...negative.known])];
      result.unknown = prompt.unknown.map(toApiWord);
      result.negativeUnknown = negative.unknown.map(toApiWord);
    }
    return result;
  }

  complete(input: ParsedInput<'prompts.complete'>): { token: string; count: number }[] {
    return autocomplete(input.prefix, this.vocabulary(input.runId), input.limit).map((t) => ({ token: t.token, count: t.count }));
  }

  listPresets(): Preset[] {
    return this.store.presets.list();
  }

  createPreset(input: ParsedInput<'presets.create'>): Preset {
    return this.store.presets.create(input);
  }

  updatePreset(id: number, input: ParsedInput<'presets.update'>['preset']): Preset {
    mustExist(this.store.presets.get(id), `preset ${id}`);
    return this.store.presets.save(id, input);
  }

  deletePreset(id: number): { ok: true } {
    mustExist(this.store.presets.get(id), `preset ${id}`);
    this.store.presets.remove(id);
    return { ok: true };
  }

  /** All or nothing: a file that fails to parse, or a save that fails, imports none of it. */
  importPresets(input: ParsedInput<'presets.import'>) {
    const parsed = userErrors(() => (input.format === 'csv' ? presetsFromCsv(input.text) : presetsFromJson(input.text)));
    const result = { created: 0, updated: 0, skipped: [] as string[] };
    this.store.db.transaction(() => {
      for (const p of parsed) {
        const preset = { name: p.name, positive: p.prompt, negative: p.negativePrompt };
        const existing = this.store.presets.find(p.name);
        if (!existing) {
          this.store.presets.create(preset);
          result.created++;
        } else if (input.replace) {
          this.store.presets.save(existing.id, preset);
          result.updated++;
        } else {
          result.skipped.push(existing.name);
        }
      }
    })();
    return result;
  }

  exportPresets(input: ParsedInput<'presets.export'>): { text: string; filename: string } {
    const chosen = input.ids ? input.ids.map((id) => mustExist(this.store.presets.get(id), `preset ${id}`)) : this.store.presets.list();
    const presets = chosen.map((p) => ({ name: p.name, prompt: p.positive, negativePrompt: p.negative }));
    return input.format === 'csv'
      ? { text: presetsToCsv(presets), filename: 'styles.csv' }
      : { text: presetsToJson(presets), filename: 'presets.json' };
  }
}

function toApiWord(u: UnknownWord): PromptCheck['unknown'][number] {
  return { word: u.word, suggestions: u.suggestions.map((s) => ({ token: s.token, distance: s.distance, count: s.count })) };
}

function segmentsOf(text: string): { text: string; weight: number }[] {
  try {
    return parseAttention(text).map((s) => ({ text: s.text, weight: s.weight }));
  } catch {
    return [{ text, weight: 1 }];
  }
}

function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PromptError) throw new UserError(e.message);
    throw e;
  }
}
