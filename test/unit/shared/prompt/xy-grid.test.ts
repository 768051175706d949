import { describe, expect, it } from 'vitest';
import { PromptError } from '#shared/prompt/errors';
import { expandGrid, parseAxis, type GridBase } from '#shared/prompt/xy-grid';

const base: GridBase = { prompt: 'a red cat', negativePrompt: 'blurry red', seed: 1, checkpoint: 'runs/r1/step-100' };

describe('parseAxis', () => {
  it('reads comma-separated values with CSV quoting, trimmed', () => {
    expect(parseAxis('prompt', 'red, "dark blue, navy" ,green')).toEqual({ kind: 'prompt', values: ['red', 'dark blue, navy', 'green'] });
  });

  it('expands A1111 numeric ranges', () => {
    expect(parseAxis('seed', '1-3, 10-16 (+3), 100-200 [3], 7').values).toEqual([1, 2, 3, 10, 13, 16, 100, 150, 200, 7]);
    expect(parseAxis('weight', 'red, 0.5-1.5 (+0.25), 0-1 [3]')).toEqual({
      kind: 'weight',
      target: 'red',
      values: [0.5, 0.75, 1, 1.25, 1.5, 0, 0.5, 1],
    });
    expect(parseAxis('weight', 'red, 0.1-0.3 (+0.1)').values).toEqual([0.1, 0.2, 0.3]);
  });

  it('rejects what is not a number, bad seeds, empty axes and huge ranges', () => {
    expect(() => parseAxis('seed', '1, two')).toThrow(/"two" is not a number/u);
    expect(() => parseAxis('seed', '-1')).toThrow(/outside/u);
    expect(() => parseAxis('weight', 'red')).toThrow(/fragment then weights/u);
    expect(() => parseAxis('checkpoint', ' , ')).toThrow(/no values/u);
    expect(() => parseAxis('seed', '1-1000000000')).toThrow(PromptError);
  });
});

describe('expandGrid', () => {
  it('makes one labelled job per cell, X first then Y, row by row', () => {
    const grid = expandGrid(base, parseAxis('prompt', 'red, blue'), parseAxis('seed', '5, 6'));
    expect(grid.xLabels).toEqual(['red', 'blue']);
    expect(grid.yLabels).toEqual(['Seed: 5', 'Seed: 6']);
    expect(grid.jobs.map((j) => [j.x, j.y, j.prompt, j.negativePrompt, j.seed])).toEqual([
      [0, 0, 'a red cat', 'blurry red', 5],
      [1, 0, 'a blue cat', 'blurry blue', 5],
      [0, 1, 'a red cat', 'blurry red', 6],
      [1, 1, 'a blue cat', 'blurry blue', 6],
    ]);
  });

  it('re-weights a fragment on a weight axis', () => {
    const grid = expandGrid(base, parseAxis('weight', 'cat, 0.5, 1.5'));
    expect(grid.jobs.map((j) => [j.prompt, j.xLabel, j.yLabel])).toEqual([
      ['a red (cat:0.5)', 'cat: 0.5', ''],
      ['a red (cat:1.5)', 'cat: 1.5', ''],
    ]);
    expect(grid.yLabels).toEqual([]);
  });

  it('runs a checkpoint axis outermost and labels it by file name', () => {
    const grid = expandGrid(base, parseAxis('checkpoint', 'runs/a/step-1, runs\\b\\step-2'), parseAxis('seed', '1-3'));
    expect(grid.xLabels).toEqual(['step-1', 'step-2']);
    expect(grid.jobs.map((j) => [j.checkpoint, j.seed])).toEqual([
      ['runs/a/step-1', 1],
      ['runs/a/step-1', 2],
      ['runs/a/step-1', 3],
      ['runs\\b\\step-2', 1],
      ['runs\\b\\step-2', 2],
      ['runs\\b\\step-2', 3],
    ]);
  });

  it('fails like A1111 when Prompt S/R does not find its first value', () => {
    expect(() => expandGrid(base, parseAxis('prompt', 'dog, cat'))).toThrow(/did not find "dog"/u);
    expect(() => expandGrid(base, parseAxis('weight', 'dog, 1'))).toThrow(PromptError);
  });

  it('treats $ in values literally', () => {
    expect(expandGrid(base, parseAxis('prompt', "red, $&$'")).jobs[1]!.prompt).toBe("a $&$' cat");
  });

  it('stops beyond the limit', () => {
    expect(() => expandGrid(base, parseAxis('seed', '0-99'), parseAxis('seed', '0-10'))).toThrow(
      /100×11 grid would produce 1,100 prompts/u,
    );
  });
});
