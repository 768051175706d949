import { describe, expect, it } from 'vitest';
import { checkpointsByStep } from '#core/service/checkpoint-axis';

const checkpoints = [3, 6, 500, 1000, 2000, 3000, 4000].map((step, i) => ({ id: i + 11, step }));
const steps = (text: string) => checkpointsByStep(text, checkpoints).map((c) => c.step);

describe('checkpointsByStep', () => {
  it('takes the steps the checkpoint list shows, in the order written, each once', () => {
    expect(steps('3000, 500')).toEqual([3000, 500]);
    expect(steps('500, 500 ,1000')).toEqual([500, 1000]);
    expect(checkpointsByStep('6', checkpoints)).toEqual([{ id: 12, step: 6 }]);
  });

  it('takes every checkpoint inside a range, either way round', () => {
    expect(steps('1000-3000')).toEqual([1000, 2000, 3000]);
    expect(steps('1-4')).toEqual([3]);
    expect(steps('4000 - 2500')).toEqual([3000, 4000]);
  });

  it('says which steps exist when a value names none', () => {
    expect(() => steps('700')).toThrow('No checkpoint at step 700; this run has checkpoints at steps 3, 6, 500, 1000, 2000, 3000, 4000');
    expect(() => steps('7-9')).toThrow(/^No checkpoint between steps 7 and 9; this run has checkpoints at steps 3, 6/);
    expect(() => steps('latest')).toThrow('"latest" is not a step: name checkpoints by step, e.g. "500, 1500" or "1000-3000"');
    expect(() => steps(' , ')).toThrow(/has no steps/);
  });
});
