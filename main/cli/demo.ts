// `homegrown demo` (npm run demo): a short training run on the bundled OpenMoji set.
import { Command } from 'commander';
import { UserError } from '../core/errors';
import { runDemo } from '../core/demo/demo';
import { DEMO_PROMPTS, OPENMOJI_CREDIT } from '../core/demo/openmoji';
import { initBackend } from '../core/compute/backend';
import { formatLosses, progressBar } from './progress';

export function demoCommand(): Command {
  return new Command('demo')
    .option('--minutes <m>', 'training time budget', (v) => Number(v), 8)
    .option('--steps <n>', 'training step budget', (v) => Number(v), 3000)
    .option('--out <dir>', 'output folder', 'runs/demo')
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (o) => {
      if (!(o.minutes > 0) || !(o.steps > 0)) throw new UserError('--minutes and --steps must be positive numbers');
      const backend = await initBackend({ force: o.backend });
      process.stderr.write(
        `${OPENMOJI_CREDIT}\ntraining a 32 px GAN for up to ${o.minutes} min or ${o.steps} steps on ${backend.active}\n`,
      );
      const bar = progressBar('demo', o.steps, 0);
      const r = await runDemo({
        out: o.out,
        minutes: o.minutes,
        steps: o.steps,
        backend: backend.active,
        onStep: (i) => bar.update(i.step, { info: formatLosses(i.losses), rate: `${i.imagesPerSec.toFixed(1)} img/s` }),
      });
      bar.stop();
      process.stdout.write(
        `trained ${r.steps} steps on ${r.images} images in ${r.seconds}s\nsample sheet: ${r.sheet}\n  rows: ${DEMO_PROMPTS.join(' | ')}\nrun: ${r.runDir}\n`,
      );
    });
}
