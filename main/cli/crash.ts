// What the `homegrown` command does with an error nobody expected: one readable line and the path
// of a log file with the stack, never Node's default report, which prints the throwing line of
// source (a 39 KB minified line when it comes from tfjs-backend-wasm). Its handlers go before the
// ones the wasm backend installs, which rethrow and so end the process with exit code 7.
import path from 'node:path';
import { crashSummary, writeCrashLog } from '../core/files/crash-log';
import { resolveHome } from '../core/store/files';

/** Exit code of a crash (EX_SOFTWARE), apart from 1 for errors the user can fix. */
export const CRASH_EXIT_CODE = 70;

export function reportCrash(err: unknown): number {
  const log = writeCrashLog(path.join(resolveHome(), 'logs'), err, `command: homegrown ${process.argv.slice(2).join(' ')}`);
  process.stderr.write(`homegrown: unexpected error: ${crashSummary(err, log)}\n`);
  return CRASH_EXIT_CODE;
}

function onFatal(err: unknown): void {
  process.exit(reportCrash(err));
}

/** Runs the command with every unexpected error, thrown or asynchronous, reported as above. */
export async function runGuarded(run: () => Promise<number>): Promise<number> {
  process.prependListener('uncaughtException', onFatal);
  process.prependListener('unhandledRejection', onFatal);
  try {
    return await run();
  } catch (err) {
    return reportCrash(err);
  }
}
