// `homegrown info`: the compute backend and why; `homegrown info <image>`: the recipe inside (PNG, WebP, JPEG);
// `homegrown info <run>`: the run's model, steps, reconstruction scores and quality curve (`homegrown eval`).
import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { APP_VERSION } from '../core/version';

// Each form loads only its own modules: the backend report needs neither sharp (recipes) nor zod (runs).

export function infoCommand(): Command {
  return new Command('info')
    .argument('[image]', 'a PNG, WebP or JPEG made by Homegrown, or a run folder')
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .option('--json', 'print JSON')
    .option('--full', "start the backend as training does, the wasm build's helper threads included")
    .action(async (image: string | undefined, o) => {
      if (image && (await fs.stat(image).catch(() => null))?.isDirectory()) {
        const [{ formatQuality }, { readQuality }, { formatRunSummary, readRunSummary }] = await Promise.all([
          import('../core/eval/quality-format'),
          import('../core/eval/quality-file'),
          import('../core/runs/run-summary'),
        ]);
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
        const { readImageRecipe } = await import('../core/media/recipe-meta');
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
      // The threaded wasm build starts a pool of 8 helper threads, twice the CPU of the rest of `info` (0.8 s
      // on 2 cores): the facts are proved on 1 thread, and the count computing uses is reported beside them.
      const [{ describeBackend, initBackend }, { wasmThreadCount }] = await Promise.all([
        import('../core/compute/backend'),
        import('../core/compute/wasm/threads'),
      ]);
      const report = await initBackend({ force: o.backend, threads: o.full ? undefined : 1 });
      const computeThreads = report.active === 'wasm' ? wasmThreadCount() : undefined;
      if (o.json) process.stdout.write(`${JSON.stringify({ appVersion: APP_VERSION, ...report, computeThreads }, null, 2)}\n`);
      else {
        const started = report.threads ?? 1;
        const note =
          computeThreads !== undefined && computeThreads !== started
            ? `\nTraining and sampling compute on ${computeThreads} threads; this check started ${started} (--full starts them all).`
            : '';
        process.stdout.write(`Homegrown ${APP_VERSION}\n${describeBackend(report)}${note}\n`);
      }
    });
}
