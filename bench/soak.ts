// The web-mode soak (issue 16's target): while a tiny run trains, a bounded number of hostile API requests
// (oversized and deeply nested prompts and bodies, NUL bytes, foreign Host headers, path traversal,
// missing tokens, malformed JSON, and random inputs for every method's schema) go to a server on
// loopback. Meanwhile a health request (app.info) goes out every 100 ms. It passes when every health
// request is answered within 200 ms, no request gets a 5xx, and the run finishes.
//   npx tsx bench/soak.ts [--requests 1000] [--concurrency 4] [--seed 1] [--steps 40]
// The server runs in its own process, so the soak's own work does not delay its answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API } from '../shared/api/index';
import { HTTP, METHOD_NAMES, type MethodName } from '../shared/api/names';
import { Rng } from '../shared/rng';
import { writeShapesDataset } from '../main/core/eval/shapes-dataset';
import { startServer } from '../main/server/start';

const HERE = fileURLToPath(import.meta.url);
const TOKEN = 'soak-token-soak-token-soak-token';
const HEALTH_EVERY_MS = 100;
const HEALTH_LIMIT_MS = 200;
// Fuzzed with valid inputs too only where that cannot stop the run, write outside the app's data folder,
// scan arbitrary folders or open windows; the others get inputs their schema refuses.
const SIDE_EFFECTS = new Set<MethodName>([
  'app.pickFolder',
  'datasets.open',
  'datasets.setCaption',
  'datasets.remove',
  'runs.start',
  'runs.pause',
  'runs.resume',
  'runs.stop',
  'runs.delete',
  'generate.start',
  'gallery.delete',
  'gallery.reveal',
  'export.images',
  'export.sheet',
]);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
};

/** A random value for `schema`, mostly of its shape, sometimes of any shape at all. */
function fuzz(schema: JsonSchema, rng: Rng, depth = 0): unknown {
  if (rng.float() < 0.15 || depth > 4) return wild(rng);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[rng.int(schema.enum.length)];
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return fuzz(options[rng.int(options.length)]!, rng, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[rng.int(schema.type.length)] : schema.type;
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema.properties ?? {}))
      if (schema.required?.includes(k) || rng.float() < 0.5) out[k] = fuzz(s, rng, depth + 1);
    if (rng.float() < 0.1) out[`extra${rng.int(9)}`] = wild(rng);
    return out;
  }
  if (type === 'array') return Array.from({ length: rng.int(5) }, () => fuzz(schema.items ?? {}, rng, depth + 1));
  if (type === 'integer' || type === 'number') {
    const pick = [0, 1, 2, -1, 2 ** 31, 2 ** 32, 2 ** 53, 1e12, schema.minimum ?? 0, schema.maximum ?? 100, 0.5, -0.0];
    return pick[rng.int(pick.length)];
  }
  if (type === 'boolean') return rng.float() < 0.5;
  if (type === 'string') return hostileString(rng);
  return wild(rng);
}

function hostileString(rng: Rng): string {
  const picks = [
    'red, circle',
    '',
    ' ',
    'a\u0000b',
    '\u0007\u001b[2J',
    '../../../etc/passwd',
    '..\\..\\windows',
    '%2e%2e%2f',
    '😀'.repeat(50),
    'Cafe\u0301',
    '\ud800',
    '{a|b|{c|d}}',
    '('.repeat(500),
    '{'.repeat(2000),
    'x'.repeat(70_000),
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    'NaN',
    String(rng.int(1e9)),
  ];
  return picks[rng.int(picks.length)]!;
}

function wild(rng: Rng): unknown {
  const picks = [null, true, 0, -1, 1e308, 'x', [], {}, [[[]]], { __proto__: { polluted: 1 } }, hostileString(rng)];
  return picks[rng.int(picks.length)];
}

interface Shot {
  kind: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

function nested(depth: number): string {
  return `{"prompt":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
}

/** The i-th hostile request. */
function shot(i: number, rng: Rng, schemas: Record<string, JsonSchema>): Shot {
  const post = (method: string, input: unknown, kind: string, headers?: Record<string, string>): Shot => ({
    kind,
    path: `${HTTP.api}/${method}`,
    method: 'POST',
    headers,
    body: JSON.stringify(input),
  });
  switch (i % 10) {
    case 0:
      return post('prompts.check', { prompt: `${'{a|'.repeat(20_000)}b${'}'.repeat(20_000)}` }, 'nested wildcard prompt');
    case 1:
      return { kind: 'deeply nested body', path: `${HTTP.api}/prompts.check`, method: 'POST', body: nested(100_000 + rng.int(400_000)) };
    case 2:
      return post('prompts.check', { prompt: `red\u0000circle${'\u0000'.repeat(rng.int(100))}` }, 'NUL bytes');
    case 3:
      // node:http replaces an empty Host with the real one, so a malformed one stands in for "no name".
      return post('app.info', {}, 'foreign Host', {
        host: ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', '127.0.0.1@evil.example'][rng.int(4)]!,
      });
    case 4: {
      const paths = [
        `${HTTP.image}/dataset/..%2f..%2f..%2fetc%2fpasswd`,
        '/..%2f..%2fetc/passwd',
        '/%2e%2e/%2e%2e/etc/passwd',
        `${HTTP.api}/..%2fapp.info`,
        `${HTTP.image}/generation/-1`,
        `${HTTP.image}/sheet/1e400`,
      ];
      return { kind: 'traversal', path: paths[rng.int(paths.length)]!, method: 'GET' };
    }
    case 5:
      return { kind: 'no token', path: `${HTTP.api}/runs.list`, method: 'POST', headers: { authorization: '' }, body: '{}' };
    case 6:
      return {
        kind: 'malformed JSON',
        path: `${HTTP.api}/prompts.check`,
        method: 'POST',
        body: ['{', '{"prompt":', '\u0000', '[]', 'null', '"x"'][rng.int(6)],
      };
    default: {
      const method = METHOD_NAMES[rng.int(METHOD_NAMES.length)];
      let input = fuzz(schemas[method!]!, rng);
      // Side effects are kept out: such methods get an input their schema refuses.
      if (SIDE_EFFECTS.has(method!) && API[method!].input.safeParse(input).success) input = { refused: wild(rng) };
      return post(method!, input, `fuzz ${method}`);
    }
  }
}

function slowest(results: { kind: string; ms: number }[], kind: string): number {
  return Math.max(...results.filter((r) => r.kind === kind).map((r) => r.ms));
}

async function send(base: string, s: Shot): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...s.headers };
  // fetch cannot send a foreign Host header, so those go through node:http.
  const { request } = await import('node:http');
  const url = new URL(s.path, base);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: s.path, method: s.method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: -1, ms: performance.now() - t0 }));
    req.end(s.body);
  });
}

async function call<T>(base: string, method: MethodName, input: unknown): Promise<T> {
  const res = await fetch(`${base}${HTTP.api}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

function startServerProcess(home: string): Promise<{ url: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', HERE, '--server', home], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, proc });
    });
    proc.on('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      steps: { type: 'string', default: '40' },
    },
  });
  const [requests, concurrency, seed, steps] = [values.requests, values.concurrency, values.seed, values.steps].map(Number);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'homegrown-soak-'));
  const { url, proc } = await startServerProcess(path.join(work, 'home'));
  const health: number[] = [];
  let healthFailures = 0;
  let soaking = true;
  try {
    const folder = path.join(work, 'shapes');
    await writeShapesDataset(folder, { size: 32, perCombo: 1, seed: 3 });
    const { dataset } = await call<{ dataset: { id: number } }>(url, 'datasets.open', { folder });
    const tiny = { channels: 4, zDim: 8, embDim: 8, styleDim: 16, batch: 4, augment: 'none', sampleEvery: 20, checkpointEvery: 20 };
    const run = await call<{ id: number }>(url, 'runs.start', { datasetId: dataset.id, model: 'gan', size: 32, steps, config: tiny });
    // Built before health is timed: building them blocks this process, which would count as the server's delay.
    const schemas = Object.fromEntries(
      METHOD_NAMES.map((m) => [m, z.toJSONSchema(API[m].input, { io: 'input', unrepresentable: 'any' }) as JsonSchema]),
    );
    const rng = new Rng(seed!);
    const shots = Array.from({ length: requests! }, (_, i) => shot(i, rng, schemas));
    // The first app.info loads the compute backend (seconds, once per server); health is measured after it.
    await call(url, 'app.info', {});
    const healthLoop = (async () => {
      while (soaking) {
        const r = await send(url, { kind: 'health', path: `${HTTP.api}/app.info`, method: 'POST', body: '{}' });
        health.push(r.ms);
        if (r.status !== 200) healthFailures++;
        await new Promise((done) => setTimeout(done, HEALTH_EVERY_MS));
      }
    })();

    const results: { kind: string; status: number; ms: number }[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency! }, async () => {
        while (next < shots.length) {
          const s = shots[next++];
          results.push({ kind: s!.kind.startsWith('fuzz') ? 'fuzz' : s!.kind, ...(await send(url, s!)) });
        }
      }),
    );
    const hostileSeconds = (performance.now() - t0) / 1000;

    // The run must finish: poll until it leaves pending/running (bounded).
    let state = '';
    const deadline = Date.now() + 20 * 60_000;
    while (Date.now() < deadline) {
      state = (await call<{ run: { state: string } }>(url, 'runs.get', { id: run.id })).run.state;
      if (state !== 'pending' && state !== 'running') break;
      await new Promise((done) => setTimeout(done, 1000));
    }
    soaking = false;
    await healthLoop;

    const byKind = new Map<string, Map<number, number>>();
    for (const r of results) {
      const counts = byKind.get(r.kind) ?? new Map<number, number>();
      counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      byKind.set(r.kind, counts);
    }
    const serverErrors = results.filter((r) => r.status >= 500 || r.status < 0).length;
    const sorted = [...health].sort((a, b) => a - b);
    const slowAt = health.flatMap((ms, i) => (ms > HEALTH_LIMIT_MS ? [`#${i}: ${ms.toFixed(0)} ms`] : []));
    const slow = slowAt.length;
    const pass = slow === 0 && healthFailures === 0 && serverErrors === 0 && state === 'done';
    const lines = [
      `${results.length} hostile requests in ${hostileSeconds.toFixed(1)} s (concurrency ${concurrency}, seed ${seed}); run ${run.id}: ${state}`,
      ...[...byKind].map(
        ([kind, counts]) =>
          `  ${kind}: ${[...counts].map(([s, n]) => `${n}× ${s < 0 ? 'no answer' : s}`).join(', ')}; slowest ${slowest(results, kind).toFixed(0)} ms`,
      ),
      `health: ${health.length} requests, median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms; over ${HEALTH_LIMIT_MS} ms: ${slow}; not 200: ${healthFailures}`,
      ...(slow ? [`  slow health answers: ${slowAt.slice(0, 20).join(', ')}`] : []),
      `5xx or no answer: ${serverErrors}`,
      pass ? 'PASS' : 'FAIL',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    soaking = false;
    if (proc.exitCode === null) {
      const exited = new Promise((done) => proc.once('exit', done));
      proc.kill('SIGTERM');
      await exited;
    }
    await fs.rm(work, { recursive: true, force: true });
  }
}

async function serve(home: string): Promise<void> {
  const server = await startServer({ home, token: TOKEN, host: '127.0.0.1' });
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.stdout.write(`READY ${server.url}\n`);
}

if (process.argv[2] === '--server') await serve(process.argv[3]!);
else await main();
