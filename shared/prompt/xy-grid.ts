// X/Y grids after A1111's X/Y/Z plot script (scripts/xyz_grid.py): each axis varies one thing and
// every (x, y) cell becomes a job with its labels. Axes: Prompt S/R (the first value is searched
// for and replaced by each value in turn), seed, checkpoint, and weight (the first value is a
// prompt fragment, each number re-weights it as `(fragment:number)`). Values are written as A1111
// does: comma-separated (CSV quoting), with numeric ranges `1-5`, `1-9 (+2)`, `0.5-1.5 [3]`.
import { parseCsv } from './csv';
import { PromptError } from './errors';
import { checkLimit, DEFAULT_EXPANSION_LIMIT } from './wildcards';

export type AxisKind = 'prompt' | 'seed' | 'checkpoint' | 'weight';

export type GridAxis =
  | { kind: 'prompt'; values: string[] }
  | { kind: 'seed'; values: number[] }
  | { kind: 'checkpoint'; values: string[] }
  | { kind: 'weight'; target: string; values: number[] };

export interface GridBase {
  prompt: string;
  negativePrompt: string;
  seed: number;
  checkpoint: string;
}

export interface GridJob extends GridBase {
  x: number;
  y: number;
  xLabel: string;
  yLabel: string;
}

export interface Grid {
  xLabels: string[];
  yLabels: string[];
  /** Cells in run order: a checkpoint axis is outermost so each checkpoint loads once. */
  jobs: GridJob[];
}

const NUMBER = String.raw`[+-]?\s*(?:\d+(?:\.\d*)?|\.\d+)`;
const STEP_RANGE = new RegExp(String.raw`^\s*(${NUMBER})\s*-\s*(${NUMBER})(?:\s*\(\s*([+-]\s*(?:\d+(?:\.\d*)?|\.\d+))\s*\))?\s*$`, 'u');
const COUNT_RANGE = new RegExp(String.raw`^\s*(${NUMBER})\s*-\s*(${NUMBER})\s*\[\s*(\d+)\s*\]\s*$`, 'u');

const num = (s: string) => Number(s.replace(/\s+/gu, ''));
/** A1111 shows floats rounded to 8 places; rounding the values too hides 0.1-step drift. */
const round8 = (v: number) => Math.round(v * 1e8) / 1e8;

/**
 * A1111's csv_string_to_list_strip (every value trimmed, empties dropped), except that a quote may
 * follow ", " — Python's reader, without skipinitialspace, would keep `"dark blue` as literal text.
 */
function splitValues(text: string): string[] {
  return parseCsv(text, { skipInitialSpace: true })
    .flat()
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Numbers and inclusive ranges: `a-b` (step 1), `a-b (+s)` or `(-s)`, `a-b [n]` (n evenly spaced). */
function parseNumbers(values: string[], limit: number, what: string): number[] {
  const out: number[] = [];
  for (const v of values) {
    const step = STEP_RANGE.exec(v);
    const count = COUNT_RANGE.exec(v);
    if (step) {
      const [a, b, s] = [num(step[1]!), num(step[2]!), step[3] === undefined ? 1 : num(step[3])];
      const n = s === 0 || (b - a) / s < 0 ? 0 : Math.floor((b - a) / s + 1e-9) + 1;
      checkLimit(out.length + n, limit, `The ${what} range "${v}"`);
      for (let i = 0; i < n; i++) out.push(round8(a + i * s));
    } else if (count) {
      const [a, b, n] = [num(count[1]!), num(count[2]!), Number(count[3])];
      checkLimit(out.length + n, limit, `The ${what} range "${v}"`);
      for (let i = 0; i < n; i++) out.push(round8(n === 1 ? a : a + ((b - a) * i) / (n - 1)));
    } else if (/^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$/iu.test(v)) {
      out.push(Number(v));
    } else {
      throw new PromptError(`"${v}" is not a number or a range like 1-5, 1-9 (+2) or 0.5-1.5 [3] (${what} axis).`);
    }
  }
  return out;
}

/** An axis from its kind and the text a user typed for its values. */
export function parseAxis(kind: AxisKind, text: string, limit = DEFAULT_EXPANSION_LIMIT): GridAxis {
  const values = splitValues(text);
  if (values.length === 0) throw new PromptError(`The ${kind} axis has no values.`);
  switch (kind) {
    case 'prompt':
    case 'checkpoint':
      return { kind, values };
    case 'seed': {
      const seeds = parseNumbers(values, limit, 'seed').map(Math.trunc);
      const bad = seeds.find((s) => s < 0 || s > 0xffffffff);
      if (bad !== undefined) throw new PromptError(`Seed ${bad} is outside 0…4294967295.`);
      return { kind, values: seeds };
    }
    case 'weight': {
      const [target, ...numbers] = values;
      if (numbers.length === 0) throw new PromptError(`The weight axis needs a fragment then weights, e.g. "red, 0.5, 1, 1.5".`);
      return { kind, target: target!, values: parseNumbers(numbers, limit, 'weight') };
    }
  }
}

const replaceAll = (s: string, search: string, value: string) => s.split(search).join(value);

function requireFragment(job: GridJob, fragment: string, axis: string): void {
  if (!job.prompt.includes(fragment) && !job.negativePrompt.includes(fragment)) {
    throw new PromptError(`${axis} did not find "${fragment}" in the prompt or negative prompt.`);
  }
}

/** Applies value i of the axis to the job and returns the cell's label. */
function applyAxis(job: GridJob, axis: GridAxis, i: number): string {
  switch (axis.kind) {
    case 'prompt': {
      const [search] = axis.values;
      requireFragment(job, search!, 'Prompt S/R');
      job.prompt = replaceAll(job.prompt, search!, axis.values[i]!);
      job.negativePrompt = replaceAll(job.negativePrompt, search!, axis.values[i]!);
      return axis.values[i]!;
    }
    case 'weight': {
      requireFragment(job, axis.target, 'The weight axis');
      const weighted = `(${axis.target}:${axis.values[i]})`;
      job.prompt = replaceAll(job.prompt, axis.target, weighted);
      job.negativePrompt = replaceAll(job.negativePrompt, axis.target, weighted);
      return `${axis.target}: ${axis.values[i]}`;
    }
    case 'seed':
      job.seed = axis.values[i]!;
      return `Seed: ${axis.values[i]}`;
    case 'checkpoint':
      job.checkpoint = axis.values[i]!;
      return axis.values[i]!.split(/[\\/]/u).pop()!;
  }
}

/** Every cell of the X (and optional Y) axes applied to `base`, X first as in A1111. */
export function expandGrid(base: GridBase, x: GridAxis, y?: GridAxis, limit = DEFAULT_EXPANSION_LIMIT): Grid {
  const ys = y?.values.length ?? 1;
  checkLimit(x.values.length * ys, limit, `A ${x.values.length}×${ys} grid`);
  const xLabels: string[] = [];
  const yLabels: string[] = [];
  const cell = (ix: number, iy: number): GridJob => {
    const job: GridJob = { ...base, x: ix, y: iy, xLabel: '', yLabel: '' };
    job.xLabel = xLabels[ix] = applyAxis(job, x, ix);
    if (y) job.yLabel = yLabels[iy] = applyAxis(job, y, iy);
    return job;
  };
  const jobs: GridJob[] = [];
  const xOuter = x.kind === 'checkpoint' && y?.kind !== 'checkpoint';
  for (let a = 0; a < (xOuter ? x.values.length : ys); a++) {
    for (let b = 0; b < (xOuter ? ys : x.values.length); b++) jobs.push(xOuter ? cell(a, b) : cell(b, a));
  }
  return { xLabels, yLabels, jobs };
}
