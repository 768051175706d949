import { MAX_SEED } from '#shared/rng';
import { UserError } from '../core/errors';

/** A commander option parser for whole numbers from 0 to `max` that names the option in its error. */
export function wholeNumber(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? '≥ 0' : `from 0 to ${max}`;
      throw new UserError(`--${name} must be a whole number ${range}, got "${v}"`);
    }
    return n;
  };
}

/** `--seed`: the one seed rule of the CLI and the API, 0 … 2^32 − 1. */
export const seedNumber = (name = 'seed') => wholeNumber(name, MAX_SEED);
