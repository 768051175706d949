// The real build: esbuild bundles into dist/app/, and the built command and training worker run from
// there with plain Node (no tsx), finding the wasm kernels, their worker scripts and package.json.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import layout from '../../../../main/build/layout.json';
import { entryExecArgv, nodeSpawner } from '#core/jobs/spawner';
import type { JobMessage } from '#core/jobs/messages';
import { shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

const run = promisify(execFile);
const homegrown = (...args: string[]) => run(process.execPath, ['bin/homegrown.js', ...args], { env: { ...process.env, HOMEGROWN_BACKEND: '' } });
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** npm packages an output loads before its code runs: its static imports, followed through chunks. */
function packagesLoaded(meta: Metafile, output: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]!.imports) {
      if (i.kind !== 'import-statement') continue;
      if (!i.external) visit(i.path);
      else if (!i.path.startsWith('node:')) packages.add(i.path.split('/').slice(0, i.path.startsWith('@') ? 2 : 1).join('/'));
    }
  };
  visit(output);
  return packages;
}
const outputOf = (meta: Metafile, source: string) => Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === source)!;

const OUT_DIR = layout.outDir;
let meta: Metafile;
beforeAll(async () => {
  await run(process.execPath, ['main/build/bundle.mjs']);
  meta = JSON.parse(readFileSync('dist/bundle-meta.json', 'utf8')) as Metafile;
});

describe('npm run build', () => {
  it('writes every entry and every file the app opens at run time into dist/app/', () => {
    for (const name of Object.keys(layout.entries)) expect(existsSync(`${OUT_DIR}/${name}.js`), name).toBe(true);
    for (const { path: file } of layout.runtimeFiles.filter((f) => f.path.startsWith(`${OUT_DIR}/`))) expect(existsSync(file), file).toBe(true);
    expect(Object.keys(meta.outputs).every((o) => path.dirname(o) === OUT_DIR), 'every module flat in dist/app/').toBe(true);
  });

  it('loads only commander before a command is chosen, and nothing heavy for `prompt`', () => {
    const cli = outputOf(meta, layout.entries.homegrown);
    expect([...packagesLoaded(meta, cli)]).toEqual(['commander']);
    expect([...packagesLoaded(meta, outputOf(meta, 'main/cli/prompt.ts'))]).toEqual(['commander']);
    // The check can fail: a command that runs the engine does load it.
    expect(packagesLoaded(meta, outputOf(meta, 'main/cli/info.ts'))).toContain('@tensorflow/tfjs-core');
  });
});

describe('the built command', () => {
  it('answers --version, --help and prompt parse', async () => {
    expect((await homegrown('--version')).stdout.trim()).toBe(VERSION);
    const help = (await homegrown('--help')).stdout;
    for (const command of ['train', 'sample', 'prompt', 'serve']) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
    const parsed = JSON.parse((await homegrown('prompt', 'parse', 'red, (round:1.5)', '--json')).stdout) as { prompt: { tokens: unknown[] } };
    expect(parsed.prompt.tokens.length).toBe(2);
  });

  it('starts the wasm backend with our kernels and helper threads from dist/app/wasm/', async () => {
    const { stdout } = await run(process.execPath, ['bin/homegrown.js', 'info', '--json'], { env: { ...process.env, HOMEGROWN_BACKEND: 'wasm', HOMEGROWN_THREADS: '2' } });
    const report = JSON.parse(stdout) as { active: string; appVersion: string; threads: number; reasons: { name: string; detail: string }[] };
    expect(report).toMatchObject({ active: 'wasm', appVersion: VERSION, threads: 2 });
    // "fused multiply-add" is decided by compiling our relaxed-SIMD kernel file.
    expect(report.reasons.find((r) => r.name === 'wasm')!.detail).toMatch(/2 thread\(s\), fused multiply-add (on|off)/);
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
    job.send({ type: 'start', dataset: await shapesFolder(path.join(root, 'data')), out: path.join(root, 'runs'), config: { ...TINY_RUN, size: 32, steps: 2 }, backend: 'cpu' });
    expect(await exit, stderr + JSON.stringify(messages)).toBe(0);
    expect(messages.map((m) => m.type)).toContain('checkpoint');
    expect(messages.at(-1)).toEqual({ type: 'done', step: 2, stopped: false });
  });
});
