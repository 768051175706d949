// `homegrown info`: the compute backend and why; `homegrown info <image>`: the recipe inside (PNG, WebP, JPEG);
// `homegrown info <run>`: the run's model, steps, reconstruction scores and quality curve (`homegrown eval`).
import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { readImageRecipe } from '../core/media/recipe-meta';
import { describeBackend, initBackend } from '../core/compute/backend';
import { formatQuality } from '../core/eval/quality-format';
import { readQuality } from '../core/eval/quality-file';
import { formatRunSummary, readRunSummary } from '../core/runs/run-summary';
import { APP_VERSION } from '../core/version';

export function infoCommand(): Command {
  return new Command('info')
    .argument('[image]', 'a PNG, WebP or JPEG made by Homegrown, or a run folder')
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .option('--json', 'print JSON')
    .action(async (image: string | undefined, o) => {
      if (image && (await fs.stat(image).catch(() => null))?.isDirectory()) {
        const summary = await readRunSummary(image);
        const quality = await readQuality(image);
        const text = [formatRunSummary(summary), ...formatQuality(quality)].join('\n');
        process.stdout.write(`${o.json ? JSON.stringify({ ...summary, quality }, null, 2) : text}\n`);
        return;
      }
      if (image) {
        const bytes = await fs.readFile(image).catch(() => {
          throw new UserError(`cannot read ${image}; give the path of an image file`);
        });
        let found;
        try {
          found = await readImageRecipe(bytes);
        } catch {
          throw new UserError(`${image} is not a PNG, WebP or JPEG file`);
        }
        if (!found.recipe && !found.parameters) throw new UserError(`${image} carries no recipe`);
        process.stdout.write(
          o.json ? `${JSON.stringify(found.recipe ?? {}, null, 2)}\n` : `${found.parameters ?? JSON.stringify(found.recipe)}\n`,
        );
        return;
      }
      const report = await initBackend({ force: o.backend });
      if (o.json) process.stdout.write(`${JSON.stringify({ appVersion: APP_VERSION, ...report }, null, 2)}\n`);
      else process.stdout.write(`Homegrown ${APP_VERSION}\n${describeBackend(report)}\n`);
    });
}
