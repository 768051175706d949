// An X/Y grid's checkpoint axis in the words the app shows: checkpoints are named by their training
// step ("500, 1500"), and a range ("1000-3000", "1-4") takes every checkpoint whose step lies in it.
import { UserError } from '../errors';

interface Stepped {
  id: number;
  step: number;
}

const RANGE = /^(\d+)\s*-\s*(\d+)$/u;

/** The checkpoints the axis text names, in the order written, each once. */
export function checkpointsByStep<C extends Stepped>(text: string, checkpoints: readonly C[]): C[] {
  const steps = checkpoints.map((c) => c.step).join(', ');
  const chosen: C[] = [];
  const add = (c: C) => chosen.includes(c) || chosen.push(c);
  for (const value of text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)) {
    const range = RANGE.exec(value);
    if (range) {
      const [lo, hi] = [Number(range[1]), Number(range[2])].sort((a, b) => a - b);
      const inside = checkpoints.filter((c) => c.step >= lo! && c.step <= hi!);
      if (inside.length === 0)
        throw new UserError(`No checkpoint between steps ${lo} and ${hi}; this run has checkpoints at steps ${steps}`);
      inside.forEach(add);
    } else if (/^\d+$/u.test(value)) {
      const at = checkpoints.find((c) => c.step === Number(value));
      if (!at) throw new UserError(`No checkpoint at step ${value}; this run has checkpoints at steps ${steps}`);
      add(at);
    } else {
      throw new UserError(`"${value}" is not a step: name checkpoints by step, e.g. "500, 1500" or "1000-3000"`);
    }
  }
  if (chosen.length === 0) throw new UserError(`The checkpoint axis has no steps; this run has checkpoints at steps ${steps}`);
  return chosen;
}
