// Unexpected errors, told the way a person can read them: one line on screen and the whole report
// (stack, causes, what was running) in a log file. An error's text can hold a whole line of minified
// library source (tfjs-backend-wasm's is 39 KB), so the line shown is cut to a readable length.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { APP_VERSION } from '../version';

const MAX_LINE = 240;

/** The first non-empty line of an error's message, at most MAX_LINE characters. */
export function readableLine(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : inspect(err, { depth: 1 });
  const first =
    text
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? (err instanceof Error ? err.name : 'unknown error');
  return first.length > MAX_LINE ? `${first.slice(0, MAX_LINE - 1)}…` : first;
}

/**
 * Writes the full report of `err` to a new file in `dir` (else in the system's temp folder) and
 * returns its path, or null when no file could be written at all (a full disk, say).
 */
export function writeCrashLog(dir: string, err: unknown, context: string): string | null {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const report = [
    `Homegrown ${APP_VERSION} on Node ${process.version} (${process.platform} ${process.arch}), ${new Date().toISOString()}`,
    context,
    '',
    inspect(err, { depth: 4 }),
    '',
  ].join('\n');
  for (const folder of [dir, path.join(os.tmpdir(), 'homegrown-logs')]) {
    try {
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `crash-${stamp}-${process.pid}.log`);
      fs.writeFileSync(file, report, { flag: 'wx' });
      return file;
    } catch {
      // try the next folder
    }
  }
  return null;
}

/** "<line> (full report: <file>)", or the line with the reason there is no report. */
export function crashSummary(err: unknown, log: string | null): string {
  return `${readableLine(err)} (${log ? `full report: ${log}` : 'no report could be written: the disk may be full'})`;
}
