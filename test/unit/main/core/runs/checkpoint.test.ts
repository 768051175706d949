import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '#core/errors';
import { CheckpointWriteError, listCheckpoints, loadCheckpoint, loadLatestGood, saveCheckpoint } from '#core/runs/checkpoint';
import { parseConfig } from '#core/ml/config';
import { tf } from '#core/compute/tf';
import { Rng } from '#shared/rng';

const vocab = { tokens: ['<unk>', 'red'], counts: [0, 3], captions: [['red']] };
const tmp = () => fs.mkdtemp(path.join(os.tmpdir(), 'hg-ckpt-'));

async function save(dir: string, step: number, keep = 3) {
  const tensors = { 'g/w': tf.tensor([step, 2, 3, 4], [2, 2]), 'opt/g/w/m': tf.tensor([0.5 * step]) };
  return saveCheckpoint(
    dir,
    { format: 1, step, config: parseConfig({}), rng: new Rng(step).state(), backend: 'cpu', appVersion: 't' },
    tensors,
    vocab,
    keep,
  );
}

describe('checkpoints', () => {
  it('round-trip tensors, state and vocabulary', async () => {
    const dir = await tmp();
    const at = await save(dir, 7);
    const c = await loadCheckpoint(at);
    expect(c.state.step).toBe(7);
    expect(c.vocab).toEqual(vocab);
    expect([...c.tensors['g/w']!.values]).toEqual([7, 2, 3, 4]);
    expect(c.tensors['g/w']!.shape).toEqual([2, 2]);
    expect(c.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await fs.readdir(path.dirname(at))).toEqual(['step-00000007']);
  });

  it('keep only the newest N', async () => {
    const dir = await tmp();
    for (let s = 1; s <= 5; s++) await save(dir, s, 2);
    expect((await listCheckpoints(dir)).map((d) => path.basename(d))).toEqual(['step-00000004', 'step-00000005']);
  });

  it('refuse a damaged checkpoint and fall back to the previous good one', async () => {
    const dir = await tmp();
    await save(dir, 1);
    const newest = await save(dir, 2);
    const bin = path.join(newest, 'weights.bin');
    const bytes = await fs.readFile(bin);
    bytes[3]! ^= 0xff;
    await fs.writeFile(bin, bytes);
    await expect(loadCheckpoint(newest)).rejects.toThrow(/damaged: weights.bin does not match its SHA-256/);
    const warnings: string[] = [];
    const c = await loadLatestGood(dir, (m) => warnings.push(m));
    expect(c.state.step).toBe(1);
    expect(warnings[0]).toMatch(/falling back/);
  });

  it('explain a missing or empty run folder', async () => {
    await expect(loadLatestGood('/nonexistent/run')).rejects.toBeInstanceOf(UserError);
    await expect(loadLatestGood(await tmp())).rejects.toThrow(/has no checkpoints/);
  });

  // Needs a tiny file system: mounted where the test may (root on Linux), else skipped; the CLI test
  // covers the same path with a file size limit everywhere.
  it('on a full disk: one clear error, the previous checkpoint intact, no temporary folder left', async ({ skip }) => {
    const dir = await tmp();
    if (process.platform !== 'linux' || spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status !== 0) return skip();
    try {
      await save(dir, 1);
      const big = { 'g/w': tf.fill([512, 512], 2) };
      const state = { format: 1 as const, step: 2, config: parseConfig({}), rng: new Rng(2).state(), backend: 'cpu', appVersion: 't' };
      await expect(saveCheckpoint(dir, state, big, vocab, 3)).rejects.toThrow(
        new CheckpointWriteError(`Cannot write checkpoint step 2 to ${path.join(dir, 'checkpoints', 'step-00000002')}: the disk is full`),
      );
      expect(await fs.readdir(path.join(dir, 'checkpoints'))).toEqual(['step-00000001']);
      expect((await loadLatestGood(dir)).state.step).toBe(1);
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it('survive SIGKILL during saving, many times: the newest complete checkpoint always verifies', async () => {
    const dir = await tmp();
    let confirmed = 0;
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/checkpoint-writer.ts', dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let saved = 0;
      child.stdout.on('data', (d: Buffer) => {
        for (const m of d.toString().matchAll(/saved (\d+)/g)) saved = Number(m[1]);
      });
      // Kill at a random moment once the child is writing (it prints after each complete save).
      await new Promise<void>((resolve) => {
        const wait = setInterval(() => {
          if (saved > confirmed) {
            clearInterval(wait);
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, Math.random() * 150);
          }
        }, 5);
      });
      await new Promise((r) => child.once('exit', r));
      const c = await loadLatestGood(dir);
      expect(c.state.step).toBeGreaterThanOrEqual(saved);
      expect(c.tensors.a!.values[0]).toBe(c.state.step);
      confirmed = c.state.step;
    }
  }, 240_000);
});
