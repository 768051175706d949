// A path as a person types or pastes it into the app: quotes from "copy as path" taken off, `~` as
// the home folder, then made absolute. (A shell does this for the command line; the app must itself.)
import os from 'node:os';
import path from 'node:path';

export function userPath(text: string, home = os.homedir()): string {
  let p = text.trim();
  if (p.length >= 2 && /^(["']).*\1$/su.test(p)) p = p.slice(1, -1).trim();
  if (p === '~') p = home;
  else if (/^~[\\/]/u.test(p)) p = path.join(home, p.slice(2));
  return path.resolve(p);
}
