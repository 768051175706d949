// An Api over an in-memory transport: each method answers from a handler the test gives, calls are
// recorded, and `emit` pushes events (checked against the contract's schema like real ones).
import { Api } from '../../../renderer/lib/api/client';
import type { ConnectionState, Transport } from '../../../renderer/lib/api/transport';
import type { MethodName } from '#shared/api/names';

// Each handler takes its own method's input type, which `any` lets a test write directly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (input: any) => unknown;

export function fakeApi(handlers: Partial<Record<MethodName, Handler>>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const calls: { method: MethodName; input: any }[] = [];
  let onEvent: ((e: unknown) => void) | null = null;
  let onState: ((s: ConnectionState) => void) | null = null;
  const transport: Transport = {
    async call(method, input) {
      calls.push({ method, input });
      const h = handlers[method];
      if (!h) throw new Error(`no fake for ${method}`);
      return h(input);
    },
    listen(e, s) {
      onEvent = e;
      onState = s;
      s('open');
      return () => (onEvent = null);
    },
    imageUrl: (kind, id) => `img/${kind}/${id}`,
  };
  return {
    api: new Api(transport),
    calls,
    emit: (e: unknown) => onEvent?.(e),
    setState: (s: ConnectionState) => onState?.(s),
  };
}

export const run = (over: Record<string, unknown> = {}) => ({
  id: 1,
  datasetId: 1,
  datasetName: 'shapes',
  model: 'gan',
  size: 32,
  config: {},
  state: 'running',
  message: null,
  step: 0,
  targetStep: 20,
  resumable: false,
  backend: 'wasm',
  createdAt: 1,
  startedAt: 1,
  finishedAt: null,
  ...over,
});

export const generation = (id: number, over: Record<string, unknown> = {}) => ({
  id,
  prompt: `red circle ${id}`,
  negative: '',
  seed: id,
  runId: 1,
  checkpointId: 3,
  backend: 'wasm',
  params: {},
  rating: null,
  favourite: false,
  tags: [],
  createdAt: id,
  trashedAt: null,
  ...over,
});
