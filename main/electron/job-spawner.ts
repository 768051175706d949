// Training jobs and generation in Electron run in utilityProcesses (Node children that Electron
// manages), so an out-of-memory or crash there ends that process only; the window and the service stay up.
import { utilityProcess } from 'electron';
import { entryExecArgv, GENERATION_WORKER, type JobSpawner } from '../core/jobs/spawner';

export const utilityProcessSpawner: JobSpawner = (entry) => {
  const child = utilityProcess.fork(entry, [], {
    execArgv: entryExecArgv(entry),
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: entry === GENERATION_WORKER ? 'Homegrown generation' : 'Homegrown training',
  });
  child.stderr?.setEncoding('utf8');
  let exited = false;
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      if (!exited) child.postMessage(message);
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onStderr(listener) {
      child.stderr?.on('data', listener);
    },
    onExit(listener) {
      // utilityProcess reports only the exit code; a crash shows as a non-zero one.
      child.on('exit', (code) => {
        exited = true;
        listener(code, null);
      });
    },
    kill() {
      child.kill();
    },
  };
};
