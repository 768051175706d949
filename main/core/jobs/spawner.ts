// Starting a job process. Web mode forks Node with tsx; Electron injects a spawner built on
// utilityProcess. Either way the app only sees this small interface.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

/** The training job's entry file. */
export const TRAINING_WORKER = fileURLToPath(new URL('./training-worker.ts', import.meta.url));

/** Forks `node --import tsx [execArgv] <entry>` with an IPC channel; stdout is ignored, stderr is reported. */
export const nodeSpawner = (execArgv: string[] = []): JobSpawner => (entry) => {
  const child = fork(entry, [], { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
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
