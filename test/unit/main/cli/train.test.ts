// `homegrown train` through the real binary: every --set field applies or is refused, numbers out of
// range are refused before anything is written, and a full disk stops training with one line.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { loadLatestGood } from '#core/runs/checkpoint';
import { CLI_ARGV, spawnCli, throwawayHome } from '#test/fixtures/spawn-cli';

let root: string;
let data: string;
const SMALL = ['--size', '32', '--set', 'channels=4', '--set', 'zDim=8', '--set', 'embDim=8', '--set', 'styleDim=16'];

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-cli-train-'));
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 5 });
});

async function onlyRun(out: string): Promise<string> {
  const names = await fs.readdir(out);
  expect(names).toHaveLength(1);
  return path.join(out, names[0]!);
}

describe('homegrown train', () => {
  it('applies every --set field, named options winning over --set', async () => {
    const out = path.join(root, 'set');
    const args = [
      'train',
      data,
      ...SMALL,
      '--set',
      'batch=8',
      '--set',
      'steps=2',
      '--set',
      'seed=7',
      '--set',
      'checkpointEvery=1',
      '--set',
      'sampleEvery=5',
      '--set',
      'lr=0.001',
      '--out',
      out,
    ];
    const r = spawnCli(args);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const run = await onlyRun(out);
    const { config } = JSON.parse(await fs.readFile(path.join(run, 'run.json'), 'utf8'));
    expect(config).toMatchObject({ batch: 8, steps: 2, seed: 7, checkpointEvery: 1, sampleEvery: 5, lr: 0.001, channels: 4 });
    expect(await fs.readdir(path.join(run, 'checkpoints'))).toEqual(['step-00000001', 'step-00000002']);

    const named = spawnCli([
      'train',
      data,
      ...SMALL,
      '--set',
      'batch=8',
      '--batch',
      '2',
      '--steps',
      '1',
      '--set',
      'steps=5',
      '--out',
      path.join(root, 'named'),
    ]);
    expect(named.code).toBe(0);
    const namedRun = await onlyRun(path.join(root, 'named'));
    expect(JSON.parse(await fs.readFile(path.join(namedRun, 'run.json'), 'utf8')).config).toMatchObject({ batch: 2, steps: 1 });

    // A resumed run keeps what shapes its model; asking to change it is refused, not ignored.
    const resumed = spawnCli(['train', '--resume', run, '--set', 'channels=8', '--set', 'seed=3', '--steps', '1']);
    expect(resumed.code).toBe(1);
    expect(resumed.err.trim()).toBe('homegrown: channels, seed are fixed by the run; leave them out with --resume');
  }, 120_000);

  it.each([
    [['--steps', '1e12'], /^homegrown: --steps must be a whole number from 0 to 1000000, got "1e12"$/],
    [['--set', 'steps=1e12'], /^homegrown: invalid training config: steps: .*1000000/],
    [['--set', 'batch=100000000'], /^homegrown: invalid training config: batch: .*256/],
    [['--seed', '4294967296'], /^homegrown: --seed must be a whole number from 0 to 4294967295, got "4294967296"$/],
    [['--set', 'seed=4294967296'], /^homegrown: invalid training config: seed: .*4294967295/],
    [['--set', 'colour=red'], /^homegrown: invalid training config: .*colour/],
  ])(
    'refuses %j with one line and writes nothing',
    async (extra, message) => {
      const out = path.join(root, `refused-${extra.join('')}`);
      const r = spawnCli(['train', data, ...SMALL, ...extra, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err.trim()).toMatch(message);
      expect(await fs.readdir(out).catch(() => [])).toEqual([]);
    },
    60_000,
  );

  it.skipIf(process.platform === 'win32')(
    'a checkpoint that cannot be written stops training with one line; the previous checkpoint stays good and no temporary folder is left',
    async () => {
      const out = path.join(root, 'full');
      expect(spawnCli(['train', data, ...SMALL, '--steps', '2', '--batch', '4', '--out', out]).code).toBe(0);
      const run = await onlyRun(out);
      const ckpts = path.join(run, 'checkpoints');
      const weights = (await fs.stat(path.join(ckpts, 'step-00000002', 'weights.bin'))).size;
      // A save that a killed process left half done, from an earlier session.
      await fs.mkdir(path.join(ckpts, '.tmp-step-00000001-999999'));

      // Files may grow to half a checkpoint: the next save gets EFBIG, as a full disk gives ENOSPC.
      const limitKb = Math.floor(weights / 2048);
      const r = spawnSync(
        'bash',
        [
          '-c',
          `trap '' XFSZ; ulimit -f ${limitKb}; exec "$0" "$@"`,
          process.execPath,
          ...CLI_ARGV,
          'train',
          '--resume',
          run,
          '--steps',
          '2',
          '--batch',
          '4',
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, HOMEGROWN_BACKEND: '', HOMEGROWN_HOME: throwawayHome() },
        },
      );
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines.filter((l) => l.startsWith('homegrown:'))).toEqual([
        `homegrown: Cannot write checkpoint step 4 to ${path.join(ckpts, 'step-00000004')}: the file is larger than this system allows (see \`ulimit -f\`); ` +
          `the last good checkpoint is ${path.join(ckpts, 'step-00000002')}, and homegrown train --resume ${run} continues from it once there is room`,
      ]);
      expect(r.stderr).not.toMatch(/tfjs-backend-wasm|\n\s+at /);
      expect(r.stderr.length).toBeLessThan(2000);
      expect(await fs.readdir(ckpts)).toEqual(['step-00000002']);
      expect((await loadLatestGood(run)).state.step).toBe(2);
    },
    120_000,
  );
});
