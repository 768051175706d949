// `--set key=value` overrides any training config field (validated with the config schema later).
// Values are read as JSON when they parse (numbers, arrays, booleans), else as plain strings.
import { UserError } from '../core/errors';

export function collectSet(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UserError(`--set takes key=value, got "${value}"`);
  const raw = value.slice(eq + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  return { ...previous, [value.slice(0, eq)]: parsed };
}
