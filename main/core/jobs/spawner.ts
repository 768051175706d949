// Starting a job process (training, generation). Web mode forks Node; Electron injects a spawner built
// on utilityProcess. Either way the app only sees this small interface.
import { fork } from 'node:child_process';
import { runtimeEntry } from '../files/app-root';
import type { JobMessage, JobRequest } from './messages';

/** `Request`: the messages this kind of job takes (JobRequest for training). */
export interface JobProcess<Request extends object = JobRequest> {
  readonly pid: number | undefined;
  send(message: Request): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Lines the process writes to stderr (warnings, crash reports). */
  onStderr(listener: (text: string) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `entry`; the caller knows which messages that kind of job takes. */
export type JobSpawner = (entry: string) => JobProcess<object>;

/** The training job's entry file: the bundle in dist/app/, or the TypeScript source in development. */
export const TRAINING_WORKER = runtimeEntry('main/core/jobs/training-worker.ts', 'dist/app/training-worker.js');

/** The generation worker's entry file, found the same way. */
export const GENERATION_WORKER = runtimeEntry('main/core/jobs/generation-worker.ts', 'dist/app/generation-worker.js');

/** Node flags an entry needs: a TypeScript source (development only) runs through tsx's loader. */
export function entryExecArgv(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
}

/** Forks `node [execArgv] <entry>` with an IPC channel; stdout is ignored, stderr is reported. */
export const nodeSpawner =
  (execArgv: string[] = []): JobSpawner =>
  (entry) => {
    const child = fork(entry, [], { execArgv: [...entryExecArgv(entry), ...execArgv], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr?.setEncoding('utf8');
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        if (child.connected) child.send(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onStderr(listener) {
        child.stderr?.on('data', listener);
      },
      onExit(listener) {
        child.on('exit', listener);
      },
      kill(signal = 'SIGTERM') {
        child.kill(signal);
      },
    };
  };

export const forkSpawner: JobSpawner = nodeSpawner();

export type { JobMessage, JobRequest };
