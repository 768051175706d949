// `homegrown train <folder>` and `homegrown train --resume <run>`.
import { Command, Option } from 'commander';
import { restrictDecoders } from '../core/dataset/decode';
import { UserError } from '../core/errors';
import { initBackend } from '../core/compute/backend';
import { MODELS, PRESETS, SIZES, type TrainConfig } from '../core/ml/config';
import { TrainingSession } from '../core/runs/session';
import { formatLosses, progressBar } from './progress';
import { wholeNumber } from './whole-number';
import { collectSet } from './set-option';

export function trainCommand(): Command {
  return new Command('train')
    .description('train a prompt-conditioned generator on a folder of images, or resume a run')
    .argument('[folder]', 'folder of images (captions from sidecar .txt files, folder names or file names)')
    .option('--resume <run>', 'continue a run folder from its newest good checkpoint')
    .addOption(new Option('--model <model>', `model: ${MODELS.join(' | ')}`))
    .option('--size <px>', `image size: ${SIZES.join(' | ')}`, wholeNumber('size'))
    .option('--steps <n>', 'steps to train (with --resume: steps to add)', wholeNumber('steps'))
    .option('--batch <n>', 'batch size', wholeNumber('batch'))
    .option('--seed <n>', 'random seed', wholeNumber('seed'))
    .addOption(new Option('--fit <fit>', 'crop (default) or pad (letterbox) images to square'))
    .option('--preset <name>', `start from a preset: ${Object.keys(PRESETS).join(', ')}`)
    .option('--sample-every <n>', 'write a sample sheet every n steps', wholeNumber('sample-every'))
    .option('--checkpoint-every <n>', 'write a checkpoint every n steps', wholeNumber('checkpoint-every'))
    .option('--set <key=value>', 'override any training config field, e.g. --set lr=0.0005', collectSet)
    .option('--out <dir>', 'folder where the run folder is created', 'runs')
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (folder: string | undefined, o) => {
      if (!folder && !o.resume) throw new UserError('give a folder of images to train on, or --resume <run>');
      if (folder && o.resume) throw new UserError('give either a folder or --resume <run>, not both');
      if (o.preset && !PRESETS[o.preset]) throw new UserError(`unknown preset "${o.preset}": choose one of ${Object.keys(PRESETS).join(', ')}`);
      const overrides: Partial<Record<keyof TrainConfig, unknown>> = {
        ...(o.preset ? PRESETS[o.preset] : {}),
        ...o.set,
        model: o.model,
        size: o.size,
        batch: o.batch,
        seed: o.seed,
        fit: o.fit,
        sampleEvery: o.sampleEvery,
        checkpointEvery: o.checkpointEvery,
      };
      const config = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
      if (o.resume && (config.model || config.size || config.fit)) throw new UserError('--model, --size and --fit are fixed by the run; leave them out with --resume');
      // Only the decoders of accepted image formats may see the user's files.
      restrictDecoders();
      const backend = await initBackend({ force: o.backend });
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      const session = o.resume
        ? await TrainingSession.resume({ runDir: o.resume, backend: backend.active, config, warn })
        : await TrainingSession.create({ dataset: folder!, out: o.out, config: { ...config, steps: o.steps }, backend: backend.active });
      const steps = o.resume ? (o.steps ?? session.cfg.steps) : session.cfg.steps;
      const { skipped } = session.dataset;
      for (const s of skipped.slice(0, 10)) warn(`skipped ${s.path}: ${s.reason}`);
      if (skipped.length > 10) warn(`… and ${skipped.length - 10} more skipped files (see \`homegrown doctor ${folder ?? ''}\`)`);
      process.stderr.write(`${o.resume ? 'resuming' : 'training'} ${session.cfg.model} ${session.cfg.size}px on ${session.dataset.items.length} images (${session.vocab.tokens.length - 1} words) with ${backend.active} → ${session.runDir}\n`);

      let stop = false;
      const onSigint = () => {
        if (stop) process.exit(130);
        stop = true;
        process.stderr.write('\nstopping after this step and writing a checkpoint (Ctrl-C again to quit at once)\n');
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const bar = progressBar('train', session.state.step + steps, session.state.step);
      try {
        const result = await session.train(steps, {
          shouldStop: () => stop,
          onStep: (i) =>
            bar.update(i.step, {
              info: formatLosses(i.losses),
              rate: `${i.imagesPerSec.toFixed(1)} img/s`,
            }),
          warn,
        });
        bar.stop();
        process.stdout.write(`${result.stopped ? 'stopped' : 'done'} at step ${result.step}; checkpoint ${result.checkpoint}\n`);
        if (result.stopped) process.stdout.write(`resume with: homegrown train --resume ${session.runDir}\n`);
        process.exitCode = result.stopped ? 130 : 0;
      } finally {
        bar.stop();
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        session.dispose();
      }
    });
}
