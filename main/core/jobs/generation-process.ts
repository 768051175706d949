// The app's side of the generation process: started on first use, kept for the next generation and
// started again if it dies. Each call is one request, answered by id.
import type { Recipe, TileMode } from '#shared/recipe';
import { UserError } from '../errors';
import { readableLine } from '../files/crash-log';
import { type GenerationReply, type GenerationRequest, isGenerationReply } from './generation-messages';
import { GENERATION_WORKER, type JobProcess, type JobSpawner } from './spawner';

type Ask = GenerationRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type ReplyOf<T extends GenerationReply['type']> = Extract<GenerationReply, { type: T }>;

interface Child {
  process: JobProcess<GenerationRequest>;
  /** The checkpoint folder this process has loaded. */
  checkpoint: string | null;
  stderr: string;
}

const STDERR_KEEP = 2000;

export class GenerationProcess {
  private child: Child | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: GenerationReply) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly spawn: JobSpawner,
    private readonly entry = GENERATION_WORKER,
  ) {}

  /** Loads `checkpoint` (a checkpoint folder) unless this process has it loaded already. */
  async open(checkpoint: string, backend?: string): Promise<void> {
    const child = this.started();
    if (child.checkpoint === checkpoint) return;
    await this.ask({ type: 'open', checkpoint, backend }, 'opened');
    child.checkpoint = checkpoint;
  }

  async unknownWords(prompts: { prompt: string; negative: string }[]): Promise<string[]> {
    return (await this.ask({ type: 'unknownWords', prompts }, 'words')).unknown;
  }

  /** One PNG, its recipe embedded, from the open checkpoint. */
  async draw(req: { prompt: string; negative: string; seed: number; tile?: TileMode }): Promise<{ png: Buffer; recipe: Recipe }> {
    const reply = await this.ask({ type: 'draw', ...req }, 'image');
    return { png: Buffer.from(reply.png, 'base64'), recipe: reply.recipe };
  }

  /** Ends the process; a later call starts a new one. */
  dispose(): void {
    this.child?.process.kill();
    this.child = null;
  }

  private started(): Child {
    if (this.child) return this.child;
    const child: Child = { process: this.spawn(this.entry), checkpoint: null, stderr: '' };
    child.process.onMessage((m) => {
      if (!isGenerationReply(m)) return;
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      waiting?.resolve(m);
    });
    child.process.onStderr((text) => {
      child.stderr = (child.stderr + text).slice(-STDERR_KEEP);
    });
    child.process.onExit((code, signal) => {
      if (this.child === child) this.child = null;
      const last = child.stderr.trim() && readableLine(child.stderr.trim().split('\n').at(-1)!);
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      const error = new Error(`the generation process ${how}${last ? `: ${last}` : ''}`);
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(error);
      }
    });
    this.child = child;
    return child;
  }

  private ask<T extends GenerationReply['type']>(request: Ask, want: T): Promise<ReplyOf<T>> {
    const child = this.started();
    const id = this.nextId++;
    return new Promise<GenerationReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.process.send({ ...request, id } as GenerationRequest);
    }).then((reply) => {
      if (reply.type === 'error') throw reply.user ? new UserError(reply.message) : new Error(reply.message);
      if (reply.type !== want) throw new Error(`the generation process answered ${reply.type} to ${request.type}`);
      return reply as ReplyOf<T>;
    });
  }
}
