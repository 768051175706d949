// Reading a file from a folder the user controls, on behalf of a request (a thumbnail, a caption edit),
// so that whatever sits there cannot hang the app. The open is non-blocking, so a FIFO does not wait
// for a writer; the opened descriptor must be a regular file of bounded size; and the read has a
// deadline. A read stuck in the kernel (a dead network drive) still holds one of Node's few file-system
// threads until it returns, so at most MAX_READS such reads run at once and the rest of the app keeps
// threads to answer with.
import { constants, promises as fs } from 'node:fs';
import { UserError } from '../errors';
import { kindOf } from './write-inside';

/** A file that is there but cannot be read as one: a special file, too big, or too slow. */
export class UnreadableFile extends UserError {
  override name = 'UnreadableFile';
}

/** Node has 4 file-system threads unless UV_THREADPOOL_SIZE says otherwise; half may be stuck at worst. */
export const MAX_READS = 2;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

export interface ReadLimits {
  maxBytes: number;
  timeoutMs: number;
}

const limit = slots(MAX_READS);

/** The whole file, refusing anything that is not a regular file, above maxBytes or slower than timeoutMs. */
export function readRegularFile(file: string, limits: ReadLimits): Promise<Buffer> {
  const work = limit(() => readChecked(file, limits.maxBytes));
  return withDeadline(
    work,
    limits.timeoutMs,
    () =>
      new UnreadableFile(
        `Reading ${file} took more than ${limits.timeoutMs / 1000} s and was given up (is it on a drive that stopped answering?)`,
      ),
  );
}

async function readChecked(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await fs.open(file, constants.O_RDONLY | NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UnreadableFile(`${file} is ${kindOf(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new UnreadableFile(`${file} is ${stats.size} bytes, above the limit of ${maxBytes}`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** `work`'s result, or `timeout()`'s error once `ms` have passed; `work` itself carries on to its end. */
export function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs at most `n` tasks at once; the others wait their turn in order. */
export function slots(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
