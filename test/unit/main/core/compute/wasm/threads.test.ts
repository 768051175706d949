import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '#core/errors';
import { MAX_WASM_THREADS, wasmThreadCount } from '#core/compute/wasm/threads';

const PROBE = path.resolve('test/fixtures/wasm-threads-probe.ts');

function probe(threads: number): { threads: number; detail: string; hash: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', PROBE], {
    env: { ...process.env, HOMEGROWN_THREADS: String(threads) },
    encoding: 'utf8',
    timeout: 300_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('wasmThreadCount', () => {
  it('takes HOMEGROWN_THREADS when it is a whole number from 1 to 8', () => {
    expect(wasmThreadCount({ HOMEGROWN_THREADS: '3' })).toBe(3);
    expect(wasmThreadCount({ HOMEGROWN_THREADS: ' 1 ' })).toBe(1);
    for (const bad of ['0', '9', '1.5', 'two', '-2']) {
      expect(() => wasmThreadCount({ HOMEGROWN_THREADS: bad })).toThrow(UserError);
    }
  });

  it('otherwise uses every core, or one when the machine is oversubscribed', () => {
    const cores = Math.min(os.availableParallelism(), MAX_WASM_THREADS);
    expect([1, cores]).toContain(wasmThreadCount({}));
  });
});

describe('threaded wasm in Node', () => {
  it('starts with 2 threads and trains to the same bytes as 1 thread', () => {
    const one = probe(1);
    const two = probe(2);
    expect(one.threads).toBe(1);
    expect(two.threads, two.detail).toBe(2);
    expect(two.detail).not.toMatch(/failed/);
    expect(two.hash).toBe(one.hash);
  });
});
