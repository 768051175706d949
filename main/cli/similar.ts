// `homegrown similar <image> [--run <run>] [-k 8]`: the training images nearest to an image and whether
// it is a near copy of one (see core/eval/similar.ts). Without --run, the run named in the image's
// recipe is looked for in ./runs, where `homegrown train` puts runs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { TrainingNeighbours } from '../core/eval/similar';
import { readImageRecipe } from '../core/media/recipe-meta';
import { wholeNumber } from './whole-number';

async function runOf(image: string): Promise<string> {
  const bytes = await fs.readFile(image).catch(() => {
    throw new UserError(`cannot read ${image}; give the path of an image file`);
  });
  const recipe = await readImageRecipe(bytes).then(
    (r) => r.recipe,
    () => undefined,
  );
  const run = (recipe as { run?: unknown } | undefined)?.run;
  if (typeof run !== 'string' || !run)
    throw new UserError(`${image} carries no recipe naming the run that made it; pass --run <run folder>`);
  const dir = path.join('runs', run);
  if (!(await fs.stat(path.join(dir, 'run.json')).catch(() => null))) {
    throw new UserError(`${image} was made by run "${run}", which is not in ./runs; pass --run <run folder>`);
  }
  return dir;
}

export function similarCommand(): Command {
  return new Command('similar')
    .argument('<image>', 'an image made by Homegrown (or any image, with --run)')
    .option('--run <run>', "the run folder whose training images to compare with (default: the run in the image's recipe, in ./runs)")
    .option('-k <n>', 'how many nearest training images to list', wholeNumber('k'), 8)
    .option('--json', 'print JSON')
    .action(async (image: string, o: { run?: string; k: number; json?: boolean }) => {
      if (o.k < 1) throw new UserError('-k must be at least 1');
      const runDir = o.run ?? (await runOf(image));
      const found = await (await TrainingNeighbours.open(runDir)).findFile(image, o.k);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
        return;
      }
      const threshold = found.threshold === null ? 'none: fewer than two training images' : found.threshold.toFixed(3);
      const lines = [`training images nearest to ${image} (run ${path.basename(path.resolve(runDir))}; copy threshold ${threshold}):`];
      found.neighbours.forEach((n, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${n.distance.toFixed(3)}  ${n.path}`));
      const first = found.neighbours[0];
      if (found.nearCopyOf)
        lines.push(`near copy of ${found.nearCopyOf} (distance ${first!.distance.toFixed(3)}, under the copy threshold)`);
      else if (first && found.threshold !== null)
        lines.push(`not a near copy: the nearest training image is farther than the copy threshold`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
