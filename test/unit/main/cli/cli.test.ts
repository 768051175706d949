// End-to-end through the real `homegrown` binary: train a few steps at 32 px, sample, read the
// recipe back, resume, stop with Ctrl-C, and the one-line errors for bad input.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeShapesDataset } from '#core/eval/shapes-dataset';
import { CLI_ARGV, spawnCli, throwawayHome } from '#test/fixtures/spawn-cli';

let root: string;
let data: string;

const hg = (...args: string[]) => spawnCli(args);

async function runDirIn(out: string): Promise<string> {
  const [name] = await fs.readdir(out);
  return path.join(out, name!);
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hg-cli-'));
  data = path.join(root, 'shapes');
  await writeShapesDataset(data, { size: 32, perCombo: 1, seed: 5 });
});

describe('homegrown CLI', () => {
  it('trains, samples with recipes, reads them back and resumes', async () => {
    const out = path.join(root, 'runs');
    const t = hg('train', data, '--model', 'gan', '--size', '32', '--steps', '3', '--batch', '4', '--sample-every', '2', '--out', out);
    expect(t.err).toMatch(/training gan 32px on 16 images/);
    expect(t.code).toBe(0);
    const run = await runDirIn(out);
    expect(t.out).toContain('done at step 3');
    const log = (await fs.readFile(path.join(run, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.map((l) => l.step)).toEqual([1, 2, 3]);
    expect(Object.keys(log[0].losses)).toEqual(['d', 'g']);
    // A fixed-seed sample sheet every --sample-every steps: 6 prompts × 6 seeds of 32 px, shown at 2×.
    const sheet = await sharp(path.join(run, 'samples', 'step-00000002.png')).metadata();
    expect([sheet.width, sheet.height]).toEqual([2 * (6 * 32 + 7 * 2), 2 * (6 * 32 + 7 * 2)]);

    const s = hg('sample', run, 'red, (circle:1.3)', '--negative', 'blurry', '--seed', '42', '-n', '2', '--out', path.join(root, 'out'));
    expect(s.code).toBe(0);
    expect(s.err).toMatch(/never saw "blurry"/);
    const files = s.out.trim().split('\n');
    expect(files.map((f) => path.basename(f))).toEqual([`${path.basename(run)}-s42.png`, `${path.basename(run)}-s43.png`]);
    const meta = await sharp(files[0]).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([32, 32, 3]);

    const info = hg('info', files[0]!, '--json');
    expect(JSON.parse(info.out)).toMatchObject({
      prompt: 'red, (circle:1.3)',
      negative: 'blurry',
      seed: 42,
      step: 3,
      model: 'gan',
      backend: 'wasm',
    });

    // Sampling again gives the same bytes and does not add files.
    const again = hg(
      'sample',
      run,
      'red, (circle:1.3)',
      '--negative',
      'blurry',
      '--seed',
      '42',
      '-n',
      '1',
      '--out',
      path.join(root, 'out'),
    );
    expect(again.out.trim()).toBe(files[0]);
    expect((await fs.readdir(path.join(root, 'out'))).length).toBe(2);

    const r = hg('train', '--resume', run, '--steps', '2');
    expect(r.code).toBe(0);
    expect(r.out).toContain('done at step 5');
  });

  it('stops cleanly on Ctrl-C, writing a checkpoint first', async () => {
    const out = path.join(root, 'interrupted');
    const child = spawn(process.execPath, [...CLI_ARGV, 'train', data, '--steps', '100000', '--batch', '4', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOMEGROWN_HOME: throwawayHome() },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      const log = await fs.readFile(path.join(await runDirIn(out).catch(() => 'none'), 'log.jsonl'), 'utf8').catch(() => '');
      if (log.split('\n').length > 3) break;
    }
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(130);
    const [, step] = /stopped at step (\d+)/.exec(stdout) ?? [];
    expect(Number(step)).toBeGreaterThanOrEqual(3);
    const ckpts = await fs.readdir(path.join(await runDirIn(out), 'checkpoints'));
    expect(ckpts).toContain(`step-${step!.padStart(8, '0')}`);
    expect(stdout).toContain('resume with: homegrown train --resume');
  });

  it('answers bad input with one line, a non-zero exit, and nothing written', async () => {
    const out = path.join(root, 'bad-out');
    const empty = path.join(root, 'empty');
    await fs.mkdir(empty);
    const junk = path.join(root, 'junk');
    await fs.mkdir(junk);
    await fs.writeFile(path.join(junk, 'fake.png'), 'not an image');
    const cases: [string[], RegExp][] = [
      [['train', path.join(root, 'missing'), '--out', out], /does not exist|not found|no such/i],
      [['train', empty, '--out', out], /no images|empty/i],
      [['train', junk, '--out', out], /no readable images|could not be read|no usable/i],
      [['train', data, '--model', 'diffusion', '--out', out], /model/],
      [['train', data, '--size', '50', '--out', out], /size/],
      [['train', data, '--backend', 'quantum', '--out', out], /Unknown backend "quantum"/],
      [['sample', path.join(root, 'missing-run'), 'red'], /not a folder|does not exist/],
      [['train'], /give a folder/],
    ];
    for (const [args, message] of cases) {
      const r = hg(...args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 1]);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('refuses a corrupt checkpoint by name, falls back when an older one is good', async () => {
    const out = path.join(root, 'corrupt');
    expect(hg('train', data, '--steps', '2', '--batch', '4', '--checkpoint-every', '1', '--out', out).code).toBe(0);
    const run = await runDirIn(out);
    const newest = path.join(run, 'checkpoints', 'step-00000002');
    await fs.appendFile(path.join(newest, 'weights.bin'), 'x');
    const fallback = hg('sample', run, 'red', '-n', '1', '--out', path.join(root, 'corrupt-out'));
    expect(fallback.code).toBe(0);
    expect(fallback.err).toMatch(/step-00000002 is damaged: weights.bin does not match its SHA-256; falling back/);
    const direct = hg('sample', newest, 'red', '-n', '1', '--out', path.join(root, 'corrupt-out2'));
    expect(direct.code).toBe(1);
    expect(direct.err).toMatch(/damaged/);
    await expect(fs.stat(path.join(root, 'corrupt-out2'))).rejects.toThrow();
  });
});
