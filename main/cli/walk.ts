// `homegrown walk <run> --from "…" --to "…"`: frames between two prompts (and seeds), an animated
// GIF and WebP and a sprite strip, each with its recipe.
import path from 'node:path';
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { writeAnimation } from '../core/media/animation';
import { initBackend } from '../core/compute/backend';
import { Sampler } from '../core/runs/sampler';
import { homeOption, recordInGallery, runTarget } from './library';
import { MAX_WALK_FRAMES, walk } from '../core/runs/walk';
import { wholeNumber } from './whole-number';
import { MAX_SEED } from '#shared/rng';

/** "7" (both ends) or "7,12" (first and last frame). */
function seedPair(value: string): [number, number] {
  const parts = value.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length < 1 || parts.length > 2 || nums.some((n) => !Number.isInteger(n) || n < 0 || n > MAX_SEED)) {
    throw new UserError(`--seed must be a whole number or two of them as a,b, each from 0 to ${MAX_SEED}, got "${value}"`);
  }
  return [nums[0]!, nums[nums.length - 1]!];
}

export function walkCommand(): Command {
  return new Command('walk')
    .argument('<run>', 'run folder (uses its newest good checkpoint) or a checkpoint folder (gan, vae or ae)')
    .requiredOption('--from <prompt>', 'prompt of the first frame')
    .requiredOption('--to <prompt>', 'prompt of the last frame')
    .option('--frames <n>', `number of frames, 2 to ${MAX_WALK_FRAMES}`, wholeNumber('frames'), 16)
    .option('--seed <a,b>', 'seed of the first and last frame; one number keeps the noise fixed and blends only the prompts', '0')
    .option('--negative <text>', 'negative prompt for every frame', '')
    .option('--delay <ms>', 'time each frame is shown in the GIF and WebP', wholeNumber('delay'), 100)
    .option(
      '--scale <k>',
      'enlarge the GIF, WebP and strip k times (nearest neighbour); frames keep the model size',
      wholeNumber('scale'),
      1,
    )
    .option('--out <dir>', 'output folder; the walk gets a new folder inside it (its frames also go into the gallery)', 'out')
    .addOption(homeOption())
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (run: string, o) => {
      const seeds = seedPair(o.seed);
      if (o.scale < 1 || o.scale > 16) throw new UserError(`--scale must be from 1 to 16, got ${o.scale}`);
      const backend = await initBackend({ force: o.backend });
      const target = await runTarget(o.home, run);
      const sampler = await Sampler.open(target, backend.active, (m) => process.stderr.write(`warning: ${m}\n`));
      try {
        const w = await walk(sampler, { from: o.from, to: o.to, negative: o.negative, frames: o.frames, seeds });
        if (w.unknown.length) {
          process.stderr.write(`warning: the model never saw ${w.unknown.map((x) => `"${x}"`).join(', ')}: these words have no effect\n`);
        }
        const name = `${sampler.runName}-walk-s${seeds[0]}-${seeds[1]}`;
        const files = await writeAnimation(o.out, name, w.set, w.recipe, {
          delayMs: o.delay,
          scale: o.scale,
          frameRecipes: w.frameRecipes,
        });
        await recordInGallery(o.home, target, files.frames, 'walk');
        process.stdout.write(
          `${[files.gif, files.webp, files.strip].join('\n')}\n${files.frames.length} frames in ${path.resolve(files.dir)}\n`,
        );
      } finally {
        sampler.dispose();
      }
    });
}
