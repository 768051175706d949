// Starting a job process. Web mode forks Node; Electron injects a spawner built on utilityProcess.
// Either way the app only sees this small interface.
import { fork } from 'node:child_process';
import { runtimeEntry } from '../files/app-root';
import type { JobMessage, JobRequest } from './messages';

export interface JobProcess {
  readonly pid: number | undefined;
  send(message: JobRequest): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Lines the process writes to stderr (warnings, crash reports). */
  onStderr(listener: (text: string) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

export type JobSpawner = (entry: string) => JobProcess;

/** The training job's entry file: the bundle in dist/app/, or the TypeScript source in development. */
export const TRAINING_WORKER = runtimeEntry('main/core/jobs/training-worker.ts', 'dist/app/training-worker.js');

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
