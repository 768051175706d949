// `homegrown sample <run> "<prompt>"`: PNGs with their recipe inside.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { TILE_MODES } from '#shared/recipe';
import { UserError } from '../core/errors';
import { initBackend } from '../core/compute/backend';
import { Sampler } from '../core/runs/sampler';
import { writeTilePreview } from '../core/export/tile-preview';
import { saveGeneration } from '../core/service/generate';
import { galleryRun, homeOption, openLibrary } from './library';
import { progressBar } from './progress';
import { seedNumber, wholeNumber } from './whole-number';
import { MAX_SEED } from '#shared/rng';

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
    .action(async (run: string, prompt: string, o) => {
      if (o.count < 1) throw new UserError('-n must be at least 1');
      const backend = await initBackend({ force: o.backend });
      const library = openLibrary(o.home);
      const target = /^[1-9][0-9]*$/u.test(run) ? (await library.runs.resolve(run)).runDir : run;
      const sampler = await Sampler.open(target, backend.active, (m) => process.stderr.write(`warning: ${m}\n`));
      try {
        const runId = await galleryRun(library, target);
        const checkpointId = library.store.runs.checkpoints(runId ?? 0).find((c) => c.manifestHash === sampler.ckpt.hash)?.id ?? null;
        if (runId !== undefined) library.store.prompts.record({ prompt, negative: o.negative, runId });
        const unknown = sampler.unknownWords(prompt, o.negative);
        if (unknown.length) {
          process.stderr.write(
            `warning: the model never saw ${unknown.map((w) => `"${w}"`).join(', ')}: these words have no effect (see \`homegrown prompt check\`)\n`,
          );
        }
        await fs.mkdir(o.out, { recursive: true });
        const bar = progressBar('sample', o.count, 0, 1);
        for (let i = 0; i < o.count; i++) {
          const s = await sampler.sample({ prompt, negative: o.negative, seed: (o.seed + i) % (MAX_SEED + 1) }, o.tile);
          const image = await sampler.png(s);
          if (runId !== undefined) await saveGeneration(library.store, s, { runId, checkpointId, image });
          const file = await writeNew(path.join(o.out, `${sampler.runName}-s${s.recipe.seed}${o.tile ? `-tile${o.tile}` : ''}.png`), image);
          if (o.tile) await writeTilePreview(file);
          bar.update(i + 1, { info: path.basename(file), rate: '' });
          process.stdout.write(`${file}\n`);
        }
        bar.stop();
      } finally {
        sampler.dispose();
        library.close();
      }
    });
}
