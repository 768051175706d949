// The training job process: one TrainingSession, driven by messages from the app, reporting every
// step, sample sheet and checkpoint back. It never touches the database: the app records what it
// reports. When the app goes away (IPC disconnect) it stops as if asked: checkpoint, then exit.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { restrictDecoders } from '../dataset/decode';
import { UserError } from '../errors';
import { initBackend } from '../compute/backend';
import { TrainingSession } from '../runs/session';
import type { JobMessage, JobRequest } from './messages';

let stopRequested = false;

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
  return createHash('sha256').update(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')).digest('hex');
}

async function run(request: Extract<JobRequest, { type: 'start' | 'resume' }>): Promise<void> {
  // Only the decoders of accepted image formats may see the user's files.
  restrictDecoders();
  const backend = await initBackend({ force: request.backend });
  const warn = (line: string) => void send({ type: 'log', line: `warning: ${line}` });
  const session =
    request.type === 'start'
      ? await TrainingSession.create({ dataset: request.dataset, out: request.out, config: request.config, backend: backend.active, cacheDir: request.cacheDir })
      : await TrainingSession.resume({ runDir: request.runDir, backend: backend.active, config: request.config, cacheDir: request.cacheDir, warn });
  const steps = request.type === 'resume' && request.steps !== undefined ? request.steps : Math.max(1, session.cfg.steps - session.state.step);
  const targetStep = session.state.step + steps;
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
    const result = await session.train(steps, {
      shouldStop: () => stopRequested,
      onStep: (info) => void send({ type: 'step', step: info.step, targetStep, losses: info.losses, imagesPerSec: info.imagesPerSec }),
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
      warn,
    });
    await Promise.all(reports);
    await send({ type: 'done', step: result.step, stopped: result.stopped });
  } finally {
    session.dispose();
  }
}

function onRequest(message: JobRequest): void {
  if (message.type === 'stop') {
    stopRequested = true;
    return;
  }
  run(message).then(
    () => process.exit(0),
    async (err: unknown) => {
      const user = err instanceof UserError;
      const text = err instanceof Error ? (user ? err.message : (err.stack ?? err.message)) : String(err);
      if (!user) process.stderr.write(`${text}\n`);
      await send({ type: 'error', message: err instanceof Error ? err.message : String(err), user });
      process.exit(1);
    },
  );
}

if (parentPort) parentPort.on('message', (e) => onRequest(e.data));
else process.on('message', onRequest);
process.on('disconnect', () => {
  stopRequested = true;
});
