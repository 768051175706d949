// `homegrown train <folder>` and `homegrown train --resume <run>`.
import { Command, Option } from 'commander';
import { restrictDecoders } from '../core/dataset/decode';
import { UserError } from '../core/errors';
import { initBackend } from '../core/compute/backend';
import { MAX_SIZE, MAX_STEPS, MIN_SIZE, MODELS, parseConfig, PRESETS, SIZES, type TrainConfig } from '../core/ml/config';
import { TrainingSession } from '../core/runs/session';
import { formatLosses, progressBar } from './progress';
import { seedNumber, wholeNumber } from './whole-number';
import { collectSet } from './set-option';
import { homeOption, openLibrary, RecordedTraining } from './library';
import { budgetBar, folderConfig, minutesOption, stepsToTrain } from './train-plan';

/** Fields that shape the model or its data: a resumed run keeps the ones it was made with. */
const FIXED_BY_RUN = ['model', 'size', 'fit', 'alpha', 'channels', 'zDim', 'embDim', 'styleDim', 'seed'] as const;

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function trainCommand(): Command {
  return new Command('train')
    .argument('[folder]', 'folder of images (captions from sidecar .txt files, folder names or file names)')
    .option('--resume <run>', 'continue a run (its number in the library, or its folder) from its newest good checkpoint')
    .addOption(new Option('--model <model>', `model: ${MODELS.join(' | ')}`))
    .option('--size <px>', `image size: a multiple of 8 from ${MIN_SIZE} to ${MAX_SIZE} (${SIZES.join(', ')}, 72 …)`, wholeNumber('size'))
    .option('--steps <n>', 'steps to train (with --resume: steps to add)', wholeNumber('steps', MAX_STEPS))
    .option('--batch <n>', 'batch size', wholeNumber('batch'))
    .option('--seed <n>', 'random seed', seedNumber())
    .addOption(new Option('--fit <fit>', 'crop (default) or pad (letterbox) images to square'))
    .option('--minutes <m>', 'time budget: train as many steps as fit, then write a checkpoint', minutesOption)
    .option('--no-folder-defaults', 'do not choose model, size and settings from what the folder holds')
    .option('--preset <name>', `start from a preset: ${Object.keys(PRESETS).join(', ')}`)
    .option('--sample-every <n>', 'write a sample sheet every n steps', wholeNumber('sample-every'))
    .option('--checkpoint-every <n>', 'write a checkpoint every n steps', wholeNumber('checkpoint-every'))
    .option(
      '--set <key=value>',
      'set any training config field, e.g. --set lr=0.0005 (named options such as --batch win over --set)',
      collectSet,
    )
    .option('--out <dir>', "folder where the run folder is created (default: the library's runs folder); the library links to it")
    .addOption(homeOption())
    .option('--backend <name>', 'force a compute backend: node-gpu, node, webgpu, wasm, cpu')
    .action(async (folder: string | undefined, o) => {
      if (!folder && !o.resume) throw new UserError('give a folder of images to train on, or --resume <run>');
      if (folder && o.resume) throw new UserError('give either a folder or --resume <run>, not both');
      if (o.preset && !PRESETS[o.preset])
        throw new UserError(`unknown preset "${o.preset}": choose one of ${Object.keys(PRESETS).join(', ')}`);
      // Later sources win: preset, then --set, then the named flags the user gave. With --resume,
      // --steps counts steps to add, so it is no config field.
      const flags = {
        model: o.model,
        size: o.size,
        steps: o.resume ? undefined : o.steps,
        batch: o.batch,
        seed: o.seed,
        fit: o.fit,
        sampleEvery: o.sampleEvery,
        checkpointEvery: o.checkpointEvery,
      };
      let config: Partial<Record<keyof TrainConfig, unknown>> = { ...(o.preset ? PRESETS[o.preset] : {}), ...o.set, ...defined(flags) };
      if (o.resume) {
        const fixed = FIXED_BY_RUN.filter((k) => config[k] !== undefined);
        if (fixed.length)
          throw new UserError(
            `${fixed.join(', ')} ${fixed.length > 1 ? 'are' : 'is'} fixed by the run; leave ${fixed.length > 1 ? 'them' : 'it'} out with --resume`,
          );
      }
      // A bad value is refused before the slow start (a resumed run is checked with its own config).
      if (!o.resume) parseConfig(config);
      // Only the decoders of accepted image formats may see the user's files.
      restrictDecoders();
      const backend = await initBackend({ force: o.backend });
      const chosen = o.resume
        ? null
        : await folderConfig(folder!, o, o.preset ? PRESETS[o.preset] : undefined, { ...o.set, ...defined(flags) });
      if (chosen) config = chosen.config;
      const warn = (m: string) => process.stderr.write(`warning: ${m}\n`);
      const library = openLibrary(o.home);
      const { record, session } = o.resume
        ? await RecordedTraining.resume(
            library,
            o.resume,
            (runDir) => TrainingSession.resume({ runDir, backend: backend.active, config, warn }),
            (s) => o.steps ?? s.cfg.steps,
          )
        : await RecordedTraining.create(library, { dataset: folder!, out: o.out, config: parseConfig(config) }, (out) =>
            TrainingSession.create({ dataset: folder!, out, config, backend: backend.active }),
          );
      const steps = stepsToTrain(o, session);
      if (chosen?.note) process.stderr.write(chosen.note);
      const { skipped } = session.dataset;
      for (const s of skipped.slice(0, 10)) warn(`skipped ${s.path}: ${s.reason}`);
      if (skipped.length > 10) warn(`… and ${skipped.length - 10} more skipped files (see \`homegrown doctor ${folder ?? ''}\`)`);
      process.stderr.write(
        `${o.resume ? 'resuming' : 'training'} ${session.cfg.model} ${session.cfg.size}px on ${session.dataset.items.length} images (${session.vocab.tokens.length - 1} words) with ${backend.active} → ${session.runDir}\n`,
      );

      let stop = false;
      const onSigint = () => {
        if (stop) process.exit(130);
        stop = true;
        process.stderr.write('\nstopping after this step and writing a checkpoint (Ctrl-C again to quit at once)\n');
      };
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigint);
      const bar =
        o.minutes !== undefined && o.steps === undefined
          ? budgetBar(o.minutes)
          : progressBar('train', session.state.step + steps, session.state.step);
      try {
        const trained = await session
          .train(
            steps,
            record.hooks({
              shouldStop: () => stop,
              onStep: (i) =>
                bar.update(i.step, {
                  info: formatLosses(i.losses),
                  rate: `${i.imagesPerSec.toFixed(1)} img/s`,
                }),
              onFallback: (line) => process.stderr.write(`\n${line}\n`),
              warn,
            }),
            o.minutes,
          )
          .catch(async (error: unknown) => {
            await record.finish({ error });
            throw error;
          });
        // A --minutes budget that runs out finishes the run; only Ctrl-C stops it.
        const result = { ...trained, stopped: trained.stopped && stop };
        await record.finish(result);
        bar.stop();
        process.stdout.write(`${result.stopped ? 'stopped' : 'done'} at step ${result.step}; checkpoint ${result.checkpoint}\n`);
        if (result.stopped)
          process.stdout.write(`resume with: homegrown train --resume ${record.id}${o.home ? ` --home ${o.home}` : ''}\n`);
        process.exitCode = result.stopped ? 130 : 0;
      } finally {
        bar.stop();
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        session.dispose();
        library.close();
      }
    });
}
