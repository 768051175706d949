// `homegrown eval`: prompt adherence on the synthetic shapes set (see core/eval/evaluate.ts); with
// `--folder <dir>` a run trained on that folder within the budget, or `eval <run>` an existing run,
// measured at every checkpoint on the run's own images (see core/eval/run-quality.ts, docs/eval.md).
import { Command } from 'commander';
import type { RunQuality } from '#shared/api/runs';
import { evaluateFolder } from '../core/eval/folder-eval';
import { formatQuality } from '../core/eval/quality-format';
import { measureRun } from '../core/eval/run-quality';
import { UserError } from '../core/errors';
import { COLOUR_NAMES, SHAPE_NAMES } from '../core/eval/shapes-dataset';
import { evaluate } from '../core/eval/evaluate';
import { initBackend } from '../core/compute/backend';
import { isTrainingSize } from '../core/ml/config';
import { formatLosses, progressBar } from './progress';
import { collectSet } from './set-option';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function evalCommand(): Command {
  return new Command('eval')
    .argument('[run]', 'a run folder made by `homegrown train`: measure each of its checkpoints')
    .option('--folder <dir>', 'train a run on this captioned folder within --minutes, then measure each checkpoint')
    .option('--checkpoints <n>', 'with --folder: checkpoints to measure, evenly spread over the budget', (v) => Number(v), 5)
    .option('--per-prompt <n>', 'generations per prompt at each checkpoint (run or --folder)', (v) => Number(v), 16)
    .option('--classifier-steps <n>', 'training steps of the eval classifier (run or --folder)', (v) => Number(v), 400)
    .option('--model <model>', 'gan | vae | ae', 'gan')
    .option('--size <px>', 'a multiple of 8 from 16 to 256', (v) => Number(v), 32)
    .option('--minutes <m>', 'training time budget', (v) => Number(v), 20)
    .option('--steps <n>', 'training step budget', (v) => Number(v), 100_000)
    .option('--samples <n>', 'generated images to score', (v) => Number(v), 200)
    .option('--per-combo <n>', 'training images per colour × shape', (v) => Number(v), 40)
    .option('--seed <n>', 'seed for data, weights and sampling', (v) => Number(v), 0)
    .option(
      '--hold-out <colour,shape>',
      `leave one combination out of training, e.g. yellow,triangle (colours: ${COLOUR_NAMES.join(' ')}; shapes: ${SHAPE_NAMES.join(' ')})`,
    )
    .option('--out <dir>', 'where the run (and the synthetic dataset) go', 'runs/eval')
    .option('--set <key=value>', 'override a training config field, e.g. --set lr=0.0005 --set augment=translation', collectSet)
    .option('--json', 'print the report as JSON')
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (run: string | undefined, o) => {
      if (!['gan', 'vae', 'ae'].includes(o.model)) throw new UserError(`unknown --model "${o.model}": use gan, vae or ae`);
      if (!isTrainingSize(o.size)) throw new UserError(`--size must be a multiple of 8 from 16 to 256, got ${o.size}`);
      if (run !== undefined || o.folder !== undefined) return measureQuality(run, o);
      for (const k of ['minutes', 'steps', 'samples', 'perCombo'] as const) {
        if (!(o[k] > 0)) throw new UserError(`--${k.replace('perCombo', 'per-combo')} must be a positive number`);
      }
      let holdOut: { colour: string; shape: string } | undefined;
      if (o.holdOut) {
        const [colour, shape] = String(o.holdOut)
          .split(',')
          .map((s) => s.trim());
        if (!COLOUR_NAMES.includes(colour as never) || !SHAPE_NAMES.includes(shape as never)) {
          throw new UserError(`--hold-out must be colour,shape from: ${COLOUR_NAMES.join(' ')} / ${SHAPE_NAMES.join(' ')}`);
        }
        holdOut = { colour: colour!, shape: shape! };
      }
      const backend = await initBackend({ force: o.backend });
      const bar = progressBar(`eval ${o.model}`, o.steps < 100_000 ? o.steps : Math.round(o.minutes * 60), 0);
      const t0 = Date.now();
      const r = await evaluate({
        model: o.model,
        size: o.size,
        minutes: o.minutes,
        steps: o.steps,
        samples: o.samples,
        perCombo: o.perCombo,
        seed: o.seed,
        holdOut,
        out: o.out,
        backend: backend.active,
        config: o.set,
        onStep: (i) =>
          bar.update(o.steps < 100_000 ? i.step : Math.round((Date.now() - t0) / 1000), {
            info: `step ${i.step} ${formatLosses(i.losses)}`,
            rate: `${i.imagesPerSec.toFixed(1)} img/s`,
          }),
      });
      bar.stop();
      if (o.json) {
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        [
          `${r.model} ${r.size}px on ${r.backend}: ${r.steps} steps in ${r.trainSeconds}s on ${r.trainImages} images`,
          `adherence over ${r.samples} samples: colour ${pct(r.adherence.colourAccuracy)}, shape ${pct(r.adherence.shapeAccuracy)}, both ${pct(r.adherence.bothAccuracy)}`,
          ...(r.heldOut
            ? [
                `held-out "${r.heldOut.prompt}" (never seen in training), ${r.heldOut.n} samples: colour ${pct(r.heldOut.colourAccuracy)}, shape ${pct(r.heldOut.shapeAccuracy)}, both ${pct(r.heldOut.bothAccuracy)}`,
              ]
            : []),
          ...(r.reconstruction
            ? [
                `reconstruction of ${r.reconstruction.images} held-out training images: PSNR ${r.reconstruction.psnr.toFixed(2)} dB, SSIM ${r.reconstruction.ssim.toFixed(3)}`,
              ]
            : []),
          `run: ${r.runDir}`,
        ].join('\n') + '\n',
      );
    });
}

interface QualityFlags {
  folder?: string;
  model: string;
  size: number;
  minutes: number;
  steps: number;
  checkpoints: number;
  perPrompt: number;
  classifierSteps: number;
  seed: number;
  out: string;
  set?: Record<string, unknown>;
  json?: boolean;
  backend?: string;
}

async function measureQuality(run: string | undefined, o: QualityFlags): Promise<void> {
  if (run !== undefined && o.folder !== undefined) throw new UserError('give either a run folder or --folder, not both');
  for (const k of ['minutes', 'steps', 'checkpoints', 'perPrompt', 'classifierSteps'] as const) {
    if (!(o[k] > 0) || (k !== 'minutes' && !Number.isInteger(o[k])))
      throw new UserError(
        `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a positive ${k === 'minutes' ? 'number' : 'whole number'}`,
      );
  }
  const backend = await initBackend({ force: o.backend });
  const settings = { seed: o.seed, perPrompt: o.perPrompt, classifierSteps: o.classifierSteps };
  const onPoint = (p: { step: number }, done: number, total: number) =>
    process.stderr.write(`measured step ${p.step} (${done}/${total})\n`);
  let q: RunQuality & { runDir?: string };
  if (o.folder !== undefined) {
    const bar = progressBar(`train ${o.model}`, Math.round(o.minutes * 60), 0);
    const t0 = Date.now();
    q = await evaluateFolder({
      folder: o.folder,
      out: o.out,
      minutes: o.minutes,
      steps: o.steps,
      checkpoints: o.checkpoints,
      config: { ...o.set, model: o.model, size: o.size, seed: o.seed },
      backend: backend.active,
      settings,
      onPoint,
      onStep: (i) =>
        bar.update(Math.min(Math.round(o.minutes * 60), Math.round((Date.now() - t0) / 1000)), {
          info: `step ${i.step} ${formatLosses(i.losses)}`,
          rate: `${i.imagesPerSec.toFixed(1)} img/s`,
        }),
    });
    bar.stop();
  } else {
    q = { ...(await measureRun(run!, { backend: backend.active, settings, onPoint })), runDir: run };
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(q, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${[...formatQuality(q), `run: ${q.runDir}`].join('\n')}\n`);
}
