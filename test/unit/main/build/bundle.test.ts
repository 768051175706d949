// The real build: esbuild bundles into dist/app/, and the built command and training worker run from
// there with plain Node (no tsx), finding the wasm kernels, their worker scripts and package.json.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import layout from '../../../../main/build/layout.json';
import { entryExecArgv, nodeSpawner } from '#core/jobs/spawner';
import type { JobMessage } from '#core/jobs/messages';
import { shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

const run = promisify(execFile);
const homegrown = (...args: string[]) =>
  run(process.execPath, ['bin/homegrown.js', ...args], { env: { ...process.env, HOMEGROWN_BACKEND: '' } });
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** The npm packages a run of the built command loads (report-loaded-packages.mjs prints them). */
async function packagesLoaded(...args: string[]): Promise<string[]> {
  const { stderr } = await run(process.execPath, ['--import', './test/fixtures/report-loaded-packages.mjs', 'bin/homegrown.js', ...args], {
    env: { ...process.env, HOMEGROWN_BACKEND: '' },
  });
  return JSON.parse(/^packages: (.*)$/m.exec(stderr)![1]!) as string[];
}

// Built by `npm run build`, or by vitest's global setup (test/build-app.ts) when the sources are newer.
const OUT_DIR = layout.outDir;

describe('npm run build', () => {
  it('writes every entry and every file the app opens at run time into dist/app/', () => {
    for (const name of Object.keys(layout.entries)) expect(existsSync(`${OUT_DIR}/${name}.js`), name).toBe(true);
    for (const { path: file } of layout.runtimeFiles.filter((f) => f.path.startsWith(`${OUT_DIR}/`)))
      expect(existsSync(file), file).toBe(true);
    const nested = readdirSync(OUT_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js') && path.dirname(f) !== '.');
    expect(nested, 'every bundled module lies flat in dist/app/').toEqual([]);
  });

  it('loads no tfjs, sharp or SQLite for --version, --help and prompt parse', async () => {
    for (const args of [['--version'], ['--help'], ['prompt', 'parse', 'a, b']])
      expect(await packagesLoaded(...args), args.join(' ')).toEqual(['commander']);
    // The check can fail: a command that runs the engine does load it…
    const info = await packagesLoaded('info');
    expect(info).toContain('@tensorflow/tfjs-core');
    // …and only what the backend report needs: no image codec, no SQLite, none of tfjs's layers, converter, data or webgl.
    for (const pkg of ['sharp', 'better-sqlite3', '@tensorflow/tfjs', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-webgl'])
      expect(info).not.toContain(pkg);
  });
});

describe('the built command', () => {
  it('answers --version, --help and prompt parse', async () => {
    expect((await homegrown('--version')).stdout.trim()).toBe(VERSION);
    const help = (await homegrown('--help')).stdout;
    for (const command of ['train', 'sample', 'prompt', 'serve']) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
    const parsed = JSON.parse((await homegrown('prompt', 'parse', 'red, (round:1.5)', '--json')).stdout) as {
      prompt: { tokens: unknown[] };
    };
    expect(parsed.prompt.tokens.length).toBe(2);
  });

  it('starts the wasm backend with our kernels and helper threads from dist/app/wasm/', async () => {
    const env = { ...process.env, HOMEGROWN_BACKEND: 'wasm', HOMEGROWN_THREADS: '2' };
    const { stdout } = await run(process.execPath, ['bin/homegrown.js', 'info', '--json', '--full'], { env });
    const report = JSON.parse(stdout) as {
      active: string;
      appVersion: string;
      threads: number;
      computeThreads: number;
      reasons: { name: string; detail: string }[];
    };
    expect(report).toMatchObject({ active: 'wasm', appVersion: VERSION, threads: 2, computeThreads: 2 });
    // "fused multiply-add" is decided by compiling our relaxed-SIMD kernel file.
    expect(report.reasons.find((r) => r.name === 'wasm')!.detail).toMatch(/2 thread\(s\), fused multiply-add (on|off)/);
    // Without --full the facts are proved on 1 thread (no helper pool to start) and the count computing uses is reported.
    const quick = await run(process.execPath, ['bin/homegrown.js', 'info'], { env });
    expect(quick.stdout).toMatch(/wasm +active +WebAssembly, SIMD (on|off), 1 thread\(s\)/);
    expect(quick.stdout).toContain('Training and sampling compute on 2 threads; this check started 1');
  });
});

describe('the built training worker', () => {
  it('runs as plain Node and trains a tiny run to its end', async () => {
    const worker = path.resolve(`${OUT_DIR}/training-worker.js`);
    expect(entryExecArgv(worker)).toEqual([]);
    const root = await tempDir('hg-built-worker-');
    const job = nodeSpawner()(worker);
    const messages: JobMessage[] = [];
    let stderr = '';
    job.onStderr((t) => (stderr += t));
    const exit = new Promise<number | null>((resolve) => job.onExit((code) => resolve(code)));
    job.onMessage((m) => messages.push(m as JobMessage));
    job.send({
      type: 'start',
      dataset: await shapesFolder(path.join(root, 'data')),
      out: path.join(root, 'runs'),
      config: { ...TINY_RUN, size: 32, steps: 2 },
      backend: 'cpu',
    });
    expect(await exit, stderr + JSON.stringify(messages)).toBe(0);
    expect(messages.map((m) => m.type)).toContain('checkpoint');
    expect(messages.at(-1)).toEqual({ type: 'done', step: 2, stopped: false });
  });
});
