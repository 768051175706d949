// `homegrown prompt …`: inspect how a prompt is parsed, expand wildcards and matrices, and check a
// prompt against a trained run's vocabulary. Everything here is a thin shell over shared/prompt.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { diagnosePrompt, suggestPrompts, suggestTags } from '#shared/prompt/diagnostics';
import { PromptError } from '#shared/prompt/errors';
import { expandPrompt } from '#shared/prompt/expand';
import { parsePrompt, type ParsedPrompt } from '#shared/prompt/parse';
import { promptToWeightedTokens } from '#shared/prompt/weighted-tokens';
import { DEFAULT_EXPANSION_LIMIT } from '#shared/prompt/wildcards';
import type { Vocabulary } from '#shared/vocabulary';
import { UserError } from '../core/errors';
import { seedNumber } from './whole-number';

const print = (text: string) => process.stdout.write(text + '\n');

/** Runs an action with prompt-language errors turned into one-line user errors. */
function userErrors<A extends unknown[]>(action: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      action(...args);
    } catch (e) {
      if (e instanceof PromptError) throw new UserError(e.message);
      throw e;
    }
  };
}

function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/u.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new UserError(`${flag} must be a whole number ≥ 0, not "${value}".`);
  }
  return n;
}

const shortWeight = (w: number) => String(Number(w.toFixed(4)));

function describe(title: string, text: string, parsed: ParsedPrompt): string[] {
  const lines = [`${title}: ${text}`];
  parsed.subprompts.forEach((sub, i) => {
    if (i > 0 || sub.weight !== 1) lines.push(`  ${i > 0 ? 'AND ' : ''}sub-prompt weight ${shortWeight(sub.weight)}`);
    sub.chunks.forEach((chunk, j) => {
      if (j > 0) lines.push('  BREAK');
      for (const seg of chunk) {
        lines.push(`  ${shortWeight(seg.weight).padStart(8)}  ${JSON.stringify(seg.text)}  → ${seg.tokens.join(' ') || '(no words)'}`);
      }
    });
  });
  return lines;
}

function readVocabulary(runDir: string): Vocabulary {
  const file = join(runDir, 'vocab.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`${runDir} is not a Homegrown run (it has no vocab.json).`);
    }
    throw e;
  }
  let v: Partial<Vocabulary>;
  try {
    v = JSON.parse(text) as Partial<Vocabulary>;
  } catch {
    throw new UserError(`${file} is not valid JSON.`);
  }
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (!strings(v?.tokens) || !Array.isArray(v.counts) || !Array.isArray(v.captions) || !v.captions.every(strings)) {
    throw new UserError(`${file} is not a Homegrown vocabulary (tokens, counts, captions).`);
  }
  return v as Vocabulary;
}

function parseCommand(): Command {
  return new Command('parse')
    .description('show the weighted segments and word tokens of a prompt (A1111 attention syntax)')
    .argument('<text>', 'the prompt')
    .option('--negative <text>', 'a negative prompt, parsed the same way')
    .option('--json', 'print JSON')
    .action(
      userErrors((text: string, opts: { negative?: string; json?: boolean }) => {
        const sides = [{ title: 'Prompt', text }];
        if (opts.negative !== undefined) sides.push({ title: 'Negative prompt', text: opts.negative });
        const results = sides.map((s) => ({ ...s, parsed: parsePrompt(s.text), tokens: promptToWeightedTokens(s.text) }));
        if (opts.json) {
          const [prompt, negative] = results.map(({ text: t, parsed, tokens }) => ({ text: t, ...parsed, tokens }));
          print(JSON.stringify(negative ? { prompt, negative } : { prompt }, null, 2));
          return;
        }
        print(results.flatMap((r) => describe(r.title, r.text, r.parsed)).join('\n'));
      }),
    );
}

function expandCommand(): Command {
  return new Command('expand')
    .description('expand {a|b} wildcards (seeded or every combination) and, with --matrix, a | b | c prompt matrices')
    .argument('<text>', 'the prompt template')
    .option('--seed <n>', 'seed of the first image; image i picks with seed + i', '0')
    .option('--count <n>', 'seeded prompts per matrix cell', '1')
    .option('--combinatorial', 'list every combination instead of seeded picks')
    .option('--matrix', 'treat | outside {…} as A1111 prompt-matrix separators')
    .option('--limit <n>', 'most prompts allowed', String(DEFAULT_EXPANSION_LIMIT))
    .action(
      userErrors((text: string, opts: { seed: string; count: string; combinatorial?: boolean; matrix?: boolean; limit: string }) => {
        const prompts = expandPrompt(text, {
          seed: seedNumber()(opts.seed),
          count: wholeNumber(opts.count, '--count'),
          limit: wholeNumber(opts.limit, '--limit'),
          combinatorial: opts.combinatorial ?? false,
          matrix: opts.matrix ?? false,
        });
        print(prompts.join('\n'));
      }),
    );
}

function checkCommand(): Command {
  return new Command('check')
    .description("list the prompt's words a trained run does not know, with suggestions")
    .argument('<text>', 'the prompt')
    .option('--run <runDir>', 'the run folder (holds vocab.json)')
    .option('--json', 'print JSON')
    .action(
      userErrors((text: string, opts: { run?: string; json?: boolean }) => {
        if (!opts.run) throw new UserError('prompt check needs --run <runDir>, the folder of a trained run.');
        const vocab = readVocabulary(opts.run);
        const diagnosis = diagnosePrompt(text, vocab);
        const tags = suggestTags(text, vocab);
        const prompts = suggestPrompts(text, vocab);
        if (opts.json) {
          print(JSON.stringify({ ...diagnosis, suggestedTags: tags, suggestedPrompts: prompts }, null, 2));
          return;
        }
        const lines = [`Known words: ${diagnosis.known.join(', ') || '(none)'}`];
        if (diagnosis.unknown.length === 0) lines.push('Every word is known to this model.');
        else lines.push('Unknown words (the model never saw them, they have no effect):');
        for (const u of diagnosis.unknown) {
          const near = u.suggestions.map((s) => `${s.token} (${s.count}×)`).join(', ');
          lines.push(`  ${u.word}${near ? ` → did you mean ${near}?` : ' (no similar known word)'}`);
        }
        if (tags.length) lines.push(`Often seen with these words: ${tags.map((t) => t.token).join(', ')}`);
        if (prompts.length) lines.push('Suggested prompts:', ...prompts.map((p) => `  ${p}`));
        print(lines.join('\n'));
      }),
    );
}

export function promptCommand(): Command {
  return new Command('prompt').addCommand(parseCommand()).addCommand(expandCommand()).addCommand(checkCommand());
}
