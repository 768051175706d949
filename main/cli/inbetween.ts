// `homegrown inbetween <run> a.png b.png --frames 3`: in-between frames from flow estimated both ways.
import { Command } from 'commander';
import { inbetweenToFolder, MAX_MOTION_FRAMES } from '../core/runs/motion-files';
import { motionOptions, runMotion } from './animate';
import { wholeNumber } from './whole-number';

export function inbetweenCommand(): Command {
  return motionOptions(
    new Command('inbetween')
      .argument('<run>', 'flow run folder (newest good checkpoint) or a checkpoint folder')
      .argument('<a>', 'the first frame')
      .argument('<b>', 'the last frame (the same size as the first)')
      .option(
        '--frames <n>',
        `frames to make between the two (1 to ${MAX_MOTION_FRAMES - 2}); the output also holds a and b`,
        wholeNumber('frames'),
        3,
      ),
  ).action(async (run: string, a: string, b: string, o) => {
    await runMotion('inbetween', run, o, (model) =>
      inbetweenToFolder(model, { a, b, frames: o.frames, out: o.out, delayMs: o.delay, scale: o.scale }),
    );
  });
}
