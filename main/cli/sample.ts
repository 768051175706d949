// `homegrown sample <run> "<prompt>"`: PNGs with their recipe inside. A run of the library is drawn by
// the app's own Generate operation (generate.start: seeds, wildcards, gallery, prompt history), and
// each image it saves is also written to --out; a checkpoint folder the library cannot hold is drawn
// here, only to --out.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { ApiEvent } from '#shared/api/events';
import { MAX_COUNT } from '#shared/api/generate';
import type { Call } from '#shared/api/index';
import { TILE_MODES, type TileMode } from '#shared/recipe';
import { MAX_SEED } from '#shared/rng';
import { UserError } from '../core/errors';
import { initBackend } from '../core/compute/backend';
import { writeTilePreview } from '../core/export/tile-preview';
import { RunFiles } from '../core/jobs/run-files';
import { loadLatestGood } from '../core/runs/checkpoint';
import { FLOW_DRAWS_MOTION, Sampler } from '../core/runs/sampler';
import { RunLibrary } from '../core/service/run-library';
import type { AppService } from '../core/service';
import { galleryRun, homeOption, runTarget, withService } from './library';
import { progressBar, type Progress } from './progress';
import { seedNumber, wholeNumber } from './whole-number';

interface Options {
  negative: string;
  seed: number;
  count: number;
  out: string;
  home?: string;
  backend?: string;
  tile?: TileMode;
}

/** Writes `data` to `file`, or beside it with a numeric suffix if a different file is already there. */
export async function writeNew(file: string, data: Buffer): Promise<string> {
  const { dir, name, ext } = path.parse(file);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? file : path.join(dir, `${name}-${i}${ext}`);
    const existing = await fs.readFile(candidate).catch(() => null);
    if (existing?.equals(data)) return candidate;
    if (!existing) {
      await fs.writeFile(candidate, data, { flag: 'wx' });
      return candidate;
    }
  }
}

const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);

function warnUnknown(words: readonly string[]): void {
  if (words.length)
    warn(`the model never saw ${words.map((w) => `"${w}"`).join(', ')}: these words have no effect (see \`homegrown prompt check\`)`);
}

/** One drawn image into --out (named by run and seed), its tile preview, the bar and the listing. */
async function writeOut(o: Options, bar: Progress, done: number, image: Buffer, run: string, seed: number): Promise<void> {
  const file = await writeNew(path.join(o.out, `${run}-s${seed}${o.tile ? `-tile${o.tile}` : ''}.png`), image);
  if (o.tile) await writeTilePreview(file);
  bar.update(done, { info: path.basename(file), rate: '' });
  process.stdout.write(`${file}\n`);
}

/** Draws with the app's generate.start; each image is written as the service saves it to the gallery. */
async function generate(
  call: Call,
  service: AppService,
  at: { runId: number; checkpointId?: number },
  prompt: string,
  o: Options,
): Promise<void> {
  const bar = progressBar('sample', o.count, 0, 1);
  let written = Promise.resolve();
  let count = 0;
  const finished = new Promise<void>((resolve, reject) => {
    const off = service.subscribe((e: ApiEvent) => {
      if (e.type === 'generation.image') {
        const g = e.generation;
        written = written.then(async () => {
          const image = await service.image('generation', String(g.id));
          if (!image) throw new Error(`image ${g.id} was saved without its file`);
          await writeOut(o, bar, ++count, image.data, String(g.params['run']), g.seed);
        });
      } else if (e.type === 'generation.done' || e.type === 'job.error') {
        off();
        if (e.type === 'generation.done') resolve();
        else reject(e.error.code === 'user' ? new UserError(e.error.message) : new Error(e.error.message));
      }
    });
  });
  const started = await call('generate.start', {
    ...at,
    prompt,
    negative: o.negative,
    seedMode: 'increment',
    seed: o.seed,
    count: o.count,
    ...(o.tile ? { tile: o.tile } : {}),
  });
  warnUnknown(started.unknownWords);
  // Every image that arrived is written before the command ends, even when drawing stopped early.
  const failure = await finished.then(
    () => null,
    (err: unknown) => err,
  );
  await written;
  bar.stop();
  if (failure) throw failure;
}

/** A checkpoint folder standing alone (copied out of its run): drawn in this process, written to --out only. */
async function drawHere(target: string, prompt: string, o: Options): Promise<void> {
  const sampler = await Sampler.open(target, (await initBackend({ force: o.backend })).active, warn);
  try {
    warnUnknown(sampler.unknownWords(prompt, o.negative));
    const bar = progressBar('sample', o.count, 0, 1);
    for (let i = 0; i < o.count; i++) {
      const s = await sampler.sample({ prompt, negative: o.negative, seed: (o.seed + i) % (MAX_SEED + 1) }, o.tile);
      await writeOut(o, bar, i + 1, await sampler.png(s), sampler.runName, s.recipe.seed);
    }
    bar.stop();
  } finally {
    sampler.dispose();
  }
}

export function sampleCommand(): Command {
  return new Command('sample')
    .argument('<run>', 'run number in the library or run folder (uses its newest good checkpoint), or a checkpoint folder')
    .argument('<prompt>', 'prompt, e.g. "red, round, (shiny:1.3)"')
    .option('--negative <text>', 'negative prompt', '')
    .option(
      '--seed <n>',
      `seed of the first image (0 to ${MAX_SEED}); the others use the next seeds, wrapping to 0 after the last`,
      seedNumber(),
      0,
    )
    .option('-n, --count <n>', 'how many images', wholeNumber('count'), 4)
    .option('--out <dir>', 'output folder (the images also go into the gallery)', 'out')
    .addOption(homeOption())
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .addOption(new Option('--tile <axes>', 'seamless tiles wrapping along x, y or both; also writes a 3×3 preview').choices(TILE_MODES))
    .action(async (run: string, prompt: string, o: Options) => {
      if (o.count < 1 || o.count > MAX_COUNT) throw new UserError(`-n must be from 1 to ${MAX_COUNT}`);
      const target = await runTarget(o.home, run);
      // The checkpoint the run draws with: the one named, or its newest good one (a damaged one is skipped).
      const ckpt = await loadLatestGood(target, warn);
      if (ckpt.state.config.model === 'flow') throw new UserError(FLOW_DRAWS_MOTION);
      await fs.mkdir(o.out, { recursive: true });
      await withService(
        o.home,
        async (call, service) => {
          const runFiles = new RunFiles(service.store.files);
          const library = { store: service.store, runFiles, runs: new RunLibrary(service.store, runFiles), close: () => undefined };
          const runId = await galleryRun(library, target);
          if (runId === undefined) return drawHere(target, prompt, o);
          const checkpoint = service.store.runs.checkpoints(runId).find((c) => c.manifestHash === ckpt.hash);
          return generate(call, service, { runId, ...(checkpoint ? { checkpointId: checkpoint.id } : {}) }, prompt, o);
        },
        o.backend,
      );
    });
}
