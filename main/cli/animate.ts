// `homegrown animate <run> first.png "walk" --frames 8`: a sequence predicted from a still by a flow run.
import path from 'node:path';
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { initBackend } from '../core/compute/backend';
import { MotionModel } from '../core/runs/motion';
import { animateToFolder, MAX_MOTION_FRAMES, type MotionOutput } from '../core/runs/motion-files';
import { homeOption, recordInGallery, runTarget } from './library';
import { wholeNumber } from './whole-number';

/** Options shared by animate and inbetween. */
export function motionOptions(cmd: Command): Command {
  return cmd
    .option('--delay <ms>', 'time each frame is shown in the GIF and WebP', wholeNumber('delay'), 100)
    .option(
      '--scale <k>',
      'enlarge the GIF, WebP and strip k times (nearest neighbour); frames keep the model size',
      wholeNumber('scale'),
      1,
    )
    .option('--out <dir>', 'output folder; each call gets a new folder inside it (its frames also go into the gallery)', 'out')
    .addOption(homeOption())
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu');
}

export async function runMotion(
  tag: 'animate' | 'inbetween',
  run: string,
  o: { backend?: string; scale: number; home?: string },
  make: (m: MotionModel) => Promise<MotionOutput>,
): Promise<void> {
  if (o.scale < 1 || o.scale > 16) throw new UserError(`--scale must be from 1 to 16, got ${o.scale}`);
  const backend = await initBackend({ force: o.backend });
  const target = await runTarget(o.home, run);
  const model = await MotionModel.open(target, backend.active, (m) => process.stderr.write(`warning: ${m}\n`));
  try {
    const out = await make(model);
    if (out.unknown.length)
      process.stderr.write(`warning: the model never saw ${out.unknown.map((w) => `"${w}"`).join(', ')}: these words have no effect\n`);
    await recordInGallery(o.home, target, out.frames, tag);
    process.stdout.write(`${[out.gif, out.webp, out.strip].join('\n')}\n${out.frames.length} frames in ${path.resolve(out.dir)}\n`);
  } finally {
    model.dispose();
  }
}

export function animateCommand(): Command {
  return motionOptions(
    new Command('animate')
      .argument('<run>', 'flow run folder (newest good checkpoint) or a checkpoint folder')
      .argument('<first>', 'the first frame: any image (resized and cropped like the training frames)')
      .argument('<prompt>', 'the motion, in the words of the training captions, e.g. "walk"')
      .option('--frames <n>', `frames in all, the still included (2 to ${MAX_MOTION_FRAMES})`, wholeNumber('frames'), 8),
  ).action(async (run: string, first: string, prompt: string, o) => {
    await runMotion('animate', run, o, (model) =>
      animateToFolder(model, { first, prompt, frames: o.frames, out: o.out, delayMs: o.delay, scale: o.scale }),
    );
  });
}
