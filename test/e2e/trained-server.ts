// Web mode over its own data folder with a tiny GAN trained through the service (32 px, a checkpoint
// every 2 steps), for the e2e tests that need a run to draw with but not a good one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '#shared/api/events';
import type { Input, MethodName, Output } from '#shared/api/index';
import { startServer, type RunningServer } from '#main/server/start';
import { isEvent, nextEvent, shapesFolder, TINY_RUN } from '../fixtures/app-service';

export interface TrainedServer {
  root: string;
  server: RunningServer;
  runId: number;
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Starts a job with `start` and waits for it to finish. */
  drawn(start: () => Promise<{ jobId: string }>): Promise<void>;
  close(): Promise<void>;
}

export async function trainedServer(prefix: string, steps = 2): Promise<TrainedServer> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const server = await startServer({ home: join(root, 'home'), port: 0, service: { backend: 'wasm' } });
  const call = async <M extends MethodName>(method: M, input: Input<M>) => (await server.service.call(method, input)) as Output<M>;
  const on = (l: (e: ApiEvent) => void) => server.service.subscribe(l);
  const { dataset } = await call('datasets.open', { folder: await shapesFolder(join(root, 'shapes')) });
  const finished = nextEvent(
    on,
    isEvent('run.state', (e) => e.state !== 'running'),
  );
  const run = await call('runs.start', {
    datasetId: dataset.id,
    model: 'gan',
    size: 32,
    steps,
    config: { ...TINY_RUN, checkpointEvery: 2 },
  });
  const end = await finished;
  if (end.state !== 'done') throw new Error(`the fixture run ended ${end.state}`);
  return {
    root,
    server,
    runId: run.id,
    call,
    async drawn(start) {
      const done = nextEvent(on, (e): e is ApiEvent => e.type === 'generation.done' || e.type === 'job.error');
      const { jobId } = await start();
      const e = await done;
      if (e.type !== 'generation.done' || e.jobId !== jobId) throw new Error(`job ${jobId} did not finish: ${JSON.stringify(e)}`);
    },
    async close() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
