// `homegrown edit <run> input.png "new prompt"`: an image-to-image edit with an ae or vae run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadInputImage } from '../core/dataset/input-image';
import { UserError } from '../core/errors';
import { readRecipe } from '../core/media/png-meta';
import { initBackend } from '../core/compute/backend';
import { ImageEditor } from '../core/runs/edit';
import { homeOption, recordInGallery, runTarget } from './library';
import { writeNew } from './sample';
import { seedNumber } from './whole-number';

/** "0.6" or a sweep "0,0.25,0.5,0.75,1". */
function strengths(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((s) => !(s >= 0 && s <= 1) || Number.isNaN(s))) {
    throw new UserError(`--strength must be a number from 0 to 1 (or a comma list of them), got "${value}"`);
  }
  return list;
}

/** The prompt a Homegrown PNG was made with, if the input is one. */
async function storedPrompt(file: string): Promise<string | undefined> {
  try {
    return readRecipe(await fs.readFile(file)).recipe?.prompt;
  } catch {
    return undefined;
  }
}

export function editCommand(): Command {
  return new Command('edit')
    .argument('<run>', 'run folder (uses its newest good checkpoint) or a checkpoint folder; trained with --model ae or vae')
    .argument('<input>', 'any PNG, JPEG, WebP, GIF, TIFF or AVIF; resized and cropped like the training images')
    .argument('<prompt>', 'the new prompt')
    .option(
      '--strength <t>',
      '0 reconstructs the input, 1 ignores it (a plain sample of the prompt); a comma list makes one image each',
      '0.6',
    )
    .option(
      '--source-prompt <text>',
      "what the input shows, in the run's words (default: the prompt stored in the input PNG, else the training caption that reconstructs it best)",
    )
    .option('--negative <text>', 'negative prompt', '')
    .option('--seed <n>', 'seed of the noise the edit moves towards', seedNumber(), 0)
    .option('--out <dir>', 'output folder (the images also go into the gallery)', 'out')
    .addOption(homeOption())
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (run: string, input: string, prompt: string, o) => {
      const list = strengths(o.strength);
      const backend = await initBackend({ force: o.backend });
      const target = await runTarget(o.home, run);
      const written: string[] = [];
      const editor = await ImageEditor.open(target, backend.active, (m) => process.stderr.write(`warning: ${m}\n`));
      try {
        const { cfg } = editor.sampler;
        const image = await loadInputImage(input, { size: cfg.size, fit: cfg.fit });
        const sourcePrompt: string = o.sourcePrompt ?? (await storedPrompt(input)) ?? (await editor.describe(image));
        if (o.sourcePrompt === undefined)
          process.stderr.write(`encoding the input as "${sourcePrompt}" (set --source-prompt to describe it)\n`);
        await fs.mkdir(o.out, { recursive: true });
        for (const strength of list) {
          const s = await editor.edit(image, { prompt, negative: o.negative, sourcePrompt, strength, seed: o.seed });
          if (strength === list[0] && s.unknown.length) {
            process.stderr.write(`warning: the model never saw ${s.unknown.map((w) => `"${w}"`).join(', ')}: these words have no effect\n`);
          }
          const name = `${editor.sampler.runName}-edit-${path.parse(input).name}-t${strength}-s${o.seed}.png`;
          const file = await writeNew(path.join(o.out, name), await editor.png(s));
          written.push(file);
          process.stdout.write(`${file}\n`);
        }
        await recordInGallery(o.home, target, written, 'edit');
      } finally {
        editor.dispose();
      }
    });
}
