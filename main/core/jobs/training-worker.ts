// The training job process: one TrainingSession, driven by messages from the app, reporting every
// step, sample sheet and checkpoint back. It never touches the database: the app records what it
// reports. When the app goes away (IPC disconnect) it stops as if asked: checkpoint, then exit.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { restrictDecoders } from '../dataset/decode';
import { UserError } from '../errors';
import { readableLine, writeCrashLog } from '../files/crash-log';
import { initBackend } from '../compute/backend';
import { TrainingSession } from '../runs/session';
import type { JobMessage, JobRequest } from './messages';

let stopRequested = false;
let logDir = path.join(os.tmpdir(), 'homegrown-logs');
let failing = false;

// Forked by Node, messages use the IPC channel; as an Electron utilityProcess, `process.parentPort`.
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: JobRequest }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: JobMessage): Promise<void> {
  if (parentPort) {
    parentPort.postMessage(message);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(message, undefined, {}, () => resolve());
  });
}

async function manifestHash(dir: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'))
    .digest('hex');
}

async function run(request: Extract<JobRequest, { type: 'start' | 'resume' }>): Promise<void> {
  // Only the decoders of accepted image formats may see the user's files.
  restrictDecoders();
  const backend = await initBackend({ force: request.backend });
  const warn = (line: string) => void send({ type: 'log', line: `warning: ${line}` });
  const session =
    request.type === 'start'
      ? await TrainingSession.create({
          dataset: request.dataset,
          out: request.out,
          config: request.config,
          backend: backend.active,
          cacheDir: request.cacheDir,
        })
      : await TrainingSession.resume({
          runDir: request.runDir,
          backend: backend.active,
          config: request.config,
          cacheDir: request.cacheDir,
          warn,
        });
  const steps =
    request.type === 'resume' && request.steps !== undefined ? request.steps : Math.max(1, session.cfg.steps - session.state.step);
  const minutes = request.type === 'start' ? request.minutes : undefined;
  const targetStep = session.state.step + steps;
  const deadline = Date.now() + (minutes ?? Infinity) * 60_000;
  // With a time budget, the step it will reach at the current speed.
  const target = (step: number, ms: number) =>
    minutes === undefined ? targetStep : Math.min(targetStep, step + Math.max(0, Math.floor((deadline - Date.now()) / ms)));
  for (const s of session.dataset.skipped) void send({ type: 'log', line: `skipped ${s.path}: ${s.reason}` });
  await send({
    type: 'started',
    runDir: session.runDir,
    backend: backend.active,
    step: session.state.step,
    targetStep,
    batch: session.cfg.batch,
    images: session.dataset.items.length,
  });
  const sheets = new Set<number>();
  // The session does not wait for its checkpoint hook; `done` must follow every report it started.
  const reports: Promise<void>[] = [];
  try {
    const result = await session.train(
      steps,
      {
        shouldStop: () => stopRequested,
        onStep: (info) =>
          void send({
            type: 'step',
            step: info.step,
            targetStep: target(info.step, info.ms),
            losses: info.losses,
            imagesPerSec: info.imagesPerSec,
          }),
        onSampleSheet: (file, step) => {
          sheets.add(step);
          void send({ type: 'sheet', file, step });
        },
        onCheckpoint: (dir, step) => {
          const needsSheet = !sheets.has(step);
          sheets.add(step);
          reports.push(
            (async () => {
              // Every checkpoint gets a sample sheet, so the timeline can show what each one draws.
              if (needsSheet) await send({ type: 'sheet', file: await session.writeSampleSheet(), step });
              await send({ type: 'checkpoint', dir, step, manifestHash: await manifestHash(dir) });
            })(),
          );
        },
        onFallback: (line, backend) => void send({ type: 'fallback', backend, line }),
        warn,
      },
      minutes,
    );
    await Promise.all(reports);
    await send({ type: 'done', step: result.step, stopped: result.stopped });
  } finally {
    session.dispose();
  }
}

/**
 * Tells the app why the job ends, in one line; an unexpected error's stack goes to a log file (never
 * to stderr, where a line of minified wasm source would end up in the run's message).
 */
async function fail(err: unknown): Promise<never> {
  if (!failing) {
    failing = true;
    const user = err instanceof UserError;
    const log = user ? undefined : (writeCrashLog(logDir, err, `training job ${process.pid}`) ?? undefined);
    if (!user) process.stderr.write(`${readableLine(err)}${log ? ` (full report: ${log})` : ''}\n`);
    await send({ type: 'error', message: user ? err.message : readableLine(err), user, log });
  }
  process.exit(1);
}

function onRequest(message: JobRequest): void {
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  if (message.logDir) logDir = message.logDir;
  run(message).then(() => process.exit(0), fail);
}

// The wasm backend's own handlers rethrow, which would end the process with Node's report before the
// app hears why: they go once ours runs.
function onFatal(err: unknown): void {
  for (const event of ['uncaughtException', 'unhandledRejection']) {
    for (const listener of process.listeners(event as 'uncaughtException'))
      if (listener !== onFatal) process.removeListener(event, listener as (...args: unknown[]) => void);
  }
  void fail(err);
}
process.prependListener('uncaughtException', onFatal);
process.prependListener('unhandledRejection', onFatal);
if (parentPort) parentPort.on('message', (e) => onRequest(e.data));
else process.on('message', onRequest);
process.on('disconnect', () => {
  stopRequested = true;
});
