import { UserError } from '../core/errors';

/** A commander option parser for whole numbers ≥ 0 that names the option in its error. */
export function wholeNumber(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UserError(`--${name} must be a whole number ≥ 0, got "${v}"`);
    return n;
  };
}
