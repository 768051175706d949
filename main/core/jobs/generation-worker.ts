// The generation process: keeps one checkpoint loaded and draws images on request, so the app's own
// process (the web server, Electron's main process) keeps answering while images are made, and
// sampling may run on the GPU. It never touches the database: the app saves what it sends back.
import { UserError } from '../errors';
import { readableLine } from '../files/crash-log';
import { initBackend } from '../compute/backend';
import { tf } from '../compute/tf';
import { explainWebgpuError } from '../compute/webgpu/start';
import { Sampler } from '../runs/sampler';
import type { GenerationReply, GenerationRequest } from './generation-messages';

let loaded: { checkpoint: string; sampler: Sampler } | null = null;
let backend: Promise<string> | null = null;

// Forked by Node, messages use the IPC channel; as an Electron utilityProcess, `process.parentPort`.
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: GenerationRequest }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(reply: GenerationReply): void {
  if (parentPort) parentPort.postMessage(reply);
  else if (process.connected) process.send!(reply);
}

function open(): Sampler {
  if (!loaded) throw new Error('no checkpoint is open in the generation process');
  return loaded.sampler;
}

async function answer(req: GenerationRequest): Promise<GenerationReply> {
  switch (req.type) {
    case 'open': {
      backend ??= initBackend({ force: req.backend }).then((r) => r.active);
      const active = await backend;
      if (loaded?.checkpoint !== req.checkpoint) {
        const sampler = await Sampler.open(req.checkpoint, active);
        loaded?.sampler.dispose();
        loaded = { checkpoint: req.checkpoint, sampler };
      }
      return { type: 'opened', id: req.id, backend: active };
    }
    case 'unknownWords': {
      const sampler = open();
      return { type: 'words', id: req.id, unknown: [...new Set(req.prompts.flatMap((p) => sampler.unknownWords(p.prompt, p.negative)))] };
    }
    case 'draw': {
      const sampler = open();
      const sample = await sampler.sample({ prompt: req.prompt, negative: req.negative, seed: req.seed }, req.tile);
      return { type: 'image', id: req.id, png: (await sampler.png(sample)).toString('base64'), recipe: sample.recipe };
    }
  }
}

function failure(id: number, err: unknown): GenerationReply {
  const user = err instanceof UserError;
  const message = user ? err.message : tf.getBackend() === 'webgpu' ? explainWebgpuError(err) : readableLine(err);
  return { type: 'error', id, message, user };
}

// Requests are answered one at a time, in order: one model, one device.
let queue: Promise<void> = Promise.resolve();
function onRequest(req: GenerationRequest): void {
  queue = queue.then(() => answer(req).then(send, (err: unknown) => send(failure(req.id, err))));
}

// The wasm backend's own handlers rethrow, which would end the process with Node's report: one line
// on stderr instead, which the app shows.
function onFatal(err: unknown): void {
  process.stderr.write(`${readableLine(err)}\n`);
  process.exit(1);
}
process.prependListener('uncaughtException', onFatal);
process.prependListener('unhandledRejection', onFatal);
if (parentPort) parentPort.on('message', (e) => onRequest(e.data));
else process.on('message', onRequest);
// The app went away: nothing is left to draw for.
process.on('disconnect', () => process.exit(0));
