// A training session over a run folder: creates or resumes a run, trains through the one loop, and
// keeps the run folder up to date (JSONL log, sample sheets, checkpoints). Used by the CLI and by
// the training job process. When the GPU fails mid-run (device lost, driver reset) the session goes on
// with wasm from its last checkpoint; when it runs out of memory it stops there.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Rng } from '#shared/rng';
import type { Vocabulary } from '#shared/vocabulary';
import { loadDataset, type LoadedDataset } from '../dataset/load';
import { UserError } from '../errors';
import { freshFolder } from '../files/fresh-folder';
import { APP_VERSION } from '../version';
import { imageChannels, overCheckerboard } from '../ml/alpha';
import {
  assignTensors,
  CheckpointWriteError,
  listCheckpoints,
  type LoadedCheckpoint,
  loadLatestGood,
  removeLeftovers,
  saveCheckpoint,
} from './checkpoint';
import { initBackend } from '../compute/backend';
import { explainWebgpuError, webgpuFailure, webgpuFault } from '../compute/webgpu/start';
import { tf } from '../compute/tf';
import { parseConfig, type TrainConfig } from '../ml/config';
import { gridRgb } from '../ml/image';
import { encodePng } from '../media/png';
import { checkSequences, framePairs } from './flow-data';
import { writeFlowSheet } from './flow-sheet';
import { resolveSnap, snapSample } from './snap';
import { createModel } from '../ml/models';
import { pickHeldOut, reconstructionScore, splitHeldOut } from '../ml/recon';
import { sampleOne } from '../ml/sample';
import { buildVocabulary, captionBags } from '../ml/text';
import { emaView, initState, stateTensors, type StepInfo, type TrainData, TrainingDiverged, trainLoop, type TrainState } from '../ml/train';

export interface RunFile {
  dataset: string;
  config: TrainConfig;
  appVersion: string;
  /** Dataset paths kept out of training to measure reconstructions on (ae, vae; see recon.ts). */
  heldOut?: string[];
}

export interface SessionHooks {
  onStep?(info: StepInfo & { untilStep: number }): void;
  onSampleSheet?(file: string, step: number): void;
  onCheckpoint?(dir: string, step: number): void;
  /** The GPU failed and training goes on with `backend` from the last checkpoint (default: warn). */
  onFallback?(line: string, backend: string): void;
  shouldStop?(): boolean;
  warn?(msg: string): void;
}

/** Sheet rows: the most common distinct captions; columns: fixed seeds. */
function sheetPrompts(captions: string[], rows = 6): string[] {
  const counts = new Map<string, number>();
  for (const c of captions) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, rows)
    .map(([c]) => c);
}
const SHEET_SEEDS = [0, 1, 2, 3, 4, 5];

export class TrainingSession {
  private constructor(
    readonly runDir: string,
    readonly cfg: TrainConfig,
    readonly vocab: Vocabulary,
    readonly dataset: LoadedDataset,
    /** Replaced, with the backend, when the GPU fails and training goes on with wasm. */
    public state: TrainState,
    public backend: string,
    readonly prompts: string[],
    readonly heldOut: string[] = [],
  ) {}

  static async create(opts: {
    dataset: string;
    out: string;
    config: unknown;
    backend: string;
    cacheDir?: string;
    onLoad?: (done: number, total: number) => void;
  }): Promise<TrainingSession> {
    const asked = parseConfig(opts.config);
    // The flow model predicts RGB frames: its runs stay RGB whatever the folder holds.
    const dataset = await loadDataset(opts.dataset, {
      size: asked.size,
      fit: asked.fit,
      alpha: asked.model === 'flow' ? 'off' : asked.alpha,
      cacheDir: opts.cacheDir,
      onProgress: opts.onLoad,
    });
    // Recorded resolved, so resume and sampling know the channel count whatever the folder holds later.
    const cfg: TrainConfig = { ...asked, alpha: dataset.channels === 4 ? 'on' : 'off', ...resolveSnap(asked, dataset) };
    if (cfg.model === 'flow') await checkSequences(dataset);
    const vocab = buildVocabulary(dataset.items.map((i) => i.caption));
    const name = `${path.basename(path.resolve(opts.dataset))}-${cfg.model}${cfg.size}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}`;
    const runDir = await freshFolder(path.resolve(opts.out), name);
    await fs.mkdir(path.join(runDir, 'samples'));
    const heldOut = pickHeldOut(
      cfg.model,
      dataset.items.map((i) => i.path),
      cfg.seed,
    );
    const run: RunFile = { dataset: path.resolve(opts.dataset), config: cfg, appVersion: APP_VERSION, heldOut };
    await fs.writeFile(path.join(runDir, 'run.json'), JSON.stringify(run, null, 2));
    await fs.writeFile(path.join(runDir, 'vocab.json'), JSON.stringify(vocab));
    const model = createModel(cfg, vocab.tokens.length, new Rng(cfg.seed));
    const state = initState(model, cfg.seed);
    return new TrainingSession(
      runDir,
      cfg,
      vocab,
      dataset,
      state,
      opts.backend,
      sheetPrompts(dataset.items.map((i) => i.caption)),
      heldOut,
    );
  }

  /** Resumes the newest good checkpoint of a run; `config` may override e.g. steps or sampleEvery. */
  static async resume(opts: {
    runDir: string;
    backend: string;
    config?: Record<string, unknown>;
    cacheDir?: string;
    warn?: (m: string) => void;
    onLoad?: (done: number, total: number) => void;
  }): Promise<TrainingSession> {
    const runDir = path.resolve(opts.runDir);
    const runText = await fs.readFile(path.join(runDir, 'run.json'), 'utf8').catch(() => null);
    if (!runText) throw new UserError(`${runDir} is not a Homegrown run folder (no run.json); pass the folder \`homegrown train\` created`);
    const run = JSON.parse(runText) as RunFile;
    await removeLeftovers(runDir);
    const ckpt: LoadedCheckpoint = await loadLatestGood(runDir, opts.warn);
    // Runs from before RGBA training have no `alpha`: they are RGB; runs from before `upsample` are
    // sub-pixel (both fixed by the run's weights); runs from before `modeSeeking` or `colorChance` go on
    // without the term and recolouring every image.
    const saved = ckpt.state.config;
    const cfg = parseConfig({
      ...saved,
      ...opts.config,
      alpha: saved.alpha ?? 'off',
      upsample: saved.upsample ?? 'subpixel',
      modeSeeking: saved.modeSeeking ?? 0,
      colorChance: saved.colorChance ?? 1,
      snap: saved.snap ?? 'off',
    });
    const dataset = await loadDataset(run.dataset, {
      size: cfg.size,
      fit: cfg.fit,
      alpha: cfg.alpha,
      cacheDir: opts.cacheDir,
      onProgress: opts.onLoad,
    });
    if (cfg.model === 'flow') await checkSequences(dataset);
    const model = createModel(cfg, ckpt.vocab.tokens.length, new Rng(cfg.seed));
    const state = initState(model, cfg.seed);
    assignTensors(stateTensors(state), ckpt);
    state.step = ckpt.state.step;
    state.rng = new Rng(ckpt.state.rng);
    return new TrainingSession(
      runDir,
      cfg,
      ckpt.vocab,
      dataset,
      state,
      opts.backend,
      sheetPrompts(dataset.items.map((i) => i.caption)),
      run.heldOut,
    );
  }

  /** The data trained on and the held-out images (empty unless the run holds some out). */
  splitData(): { train: TrainData; heldOut: TrainData } {
    const held = new Set(this.heldOut);
    return splitHeldOut(this.trainData(), new Set(this.dataset.items.flatMap((item, i) => (held.has(item.path) ? [i] : []))));
  }

  private data?: TrainData;

  trainData(): TrainData {
    return (this.data ??= {
      images: this.dataset.images,
      bags: captionBags(
        this.vocab,
        this.dataset.items.map((i) => i.caption),
      ),
      count: this.dataset.items.length,
      size: this.cfg.size,
      channels: this.dataset.channels,
      vocabSize: this.vocab.tokens.length,
      pairs: this.cfg.model === 'flow' ? framePairs(this.dataset.items) : undefined,
    });
  }

  /** Trains `steps` more steps (or until stopped or `minutes` have passed), then writes a final checkpoint. */
  async train(
    steps: number,
    hooks: SessionHooks = {},
    minutes = Infinity,
  ): Promise<{ step: number; stopped: boolean; checkpoint: string }> {
    const untilStep = this.state.step + steps;
    const deadline = Date.now() + minutes * 60_000;
    for (;;) {
      try {
        return await this.trainTo(untilStep, deadline, hooks);
      } catch (err) {
        await this.fallBack(err, hooks);
      }
    }
  }

  private async trainTo(
    untilStep: number,
    deadline: number,
    hooks: SessionHooks,
  ): Promise<{ step: number; stopped: boolean; checkpoint: string }> {
    const shouldStop = () => Date.now() > deadline || Boolean(hooks.shouldStop?.());
    const data = this.heldOut.length ? this.splitData().train : this.trainData();
    const log = await fs.open(path.join(this.runDir, 'log.jsonl'), 'a');
    let last = '';
    try {
      await trainLoop(this.state, data, this.cfg, untilStep, {
        shouldStop,
        onStep: async (info) => {
          // Dawn reports a lost device or an allocation that failed as events, not as thrown errors.
          const fault = tf.getBackend() === 'webgpu' ? webgpuFault() : undefined;
          if (fault) throw new Error(fault);
          await log.write(
            `${JSON.stringify({ step: info.step, losses: info.losses, ms: +info.ms.toFixed(1), imagesPerSec: +info.imagesPerSec.toFixed(2) })}\n`,
          );
          hooks.onStep?.({ ...info, untilStep });
          if (info.step % this.cfg.sampleEvery === 0) {
            const sheet = await this.writeSampleSheet();
            hooks.onSampleSheet?.(sheet, info.step);
          }
          if (info.step % this.cfg.checkpointEvery === 0 && info.step < untilStep) {
            last = await this.checkpoint(hooks.warn);
            hooks.onCheckpoint?.(last, info.step);
          }
        },
      });
      if (!last.endsWith(`step-${String(this.state.step).padStart(8, '0')}`)) {
        last = await this.checkpoint(hooks.warn);
        hooks.onCheckpoint?.(last, this.state.step);
      }
    } finally {
      await log.close();
    }
    return { step: this.state.step, stopped: this.state.step < untilStep, checkpoint: last };
  }

  /**
   * After a failure of the GPU other than running out of memory, with a checkpoint on disk: switch to
   * wasm and load that checkpoint, so training goes on (the steps since it are trained again). Any
   * other failure is thrown, explained.
   */
  private async fallBack(err: unknown, hooks: SessionHooks): Promise<void> {
    const gpu =
      tf.getBackend() === 'webgpu' &&
      !(err instanceof TrainingDiverged) &&
      !(err instanceof CheckpointWriteError) &&
      !(err instanceof UserError);
    const good = gpu && webgpuFailure(err) !== 'memory' ? (await listCheckpoints(this.runDir)).at(-1) : undefined;
    if (!good) throw await this.explain(err);
    await initBackend({ force: 'wasm' });
    const ckpt = await loadLatestGood(this.runDir, hooks.warn);
    const lost = stateTensors(this.state);
    const state = initState(createModel(this.cfg, this.vocab.tokens.length, new Rng(this.cfg.seed)), this.cfg.seed);
    assignTensors(stateTensors(state), ckpt);
    state.step = ckpt.state.step;
    state.rng = new Rng(ckpt.state.rng);
    [this.state, this.backend] = [state, 'wasm'];
    tf.dispose(Object.values(lost));
    const line = `${explainWebgpuError(err)}; training goes on with wasm from its last checkpoint, ${path.basename(ckpt.dir)}`;
    (hooks.onFallback ?? ((l: string) => hooks.warn?.(l)))(line, 'wasm');
  }

  /** A training failure the user can act on, told with the checkpoint a resume would start from. */
  private async explain(err: unknown): Promise<unknown> {
    const gpu = tf.getBackend() === 'webgpu' && !(err instanceof UserError);
    if (!(err instanceof TrainingDiverged) && !(err instanceof CheckpointWriteError) && !gpu) return err;
    const good = (await listCheckpoints(this.runDir)).at(-1);
    const from = good ? `the last good checkpoint is ${good}` : 'no checkpoint was written yet';
    if (err instanceof TrainingDiverged) {
      const fix = good
        ? `resume from it with a lower learning rate: homegrown train --resume ${this.runDir} --set lr=${this.cfg.lr / 4}`
        : 'start again with a lower learning rate, e.g. --set lr=' + this.cfg.lr / 4;
      return new UserError(`Training diverged at step ${err.step} (${err.detail}); ${from}; ${fix}`);
    }
    if (err instanceof CheckpointWriteError) {
      return new UserError(
        `${err.message}; ${from}${good ? `, and homegrown train --resume ${this.runDir} continues from it once there is room` : ''}`,
      );
    }
    // Out of memory, or a GPU failure before the first checkpoint: the checkpoints written are what is left.
    return new UserError(
      `${explainWebgpuError(err)}. ` +
        (good
          ? `Training stopped; its last checkpoint is ${path.basename(good)}`
          : 'Training stopped before its first checkpoint: start it again on wasm'),
    );
  }

  /**
   * Saves a checkpoint; with held-out images, then logs their reconstruction scores at this step. A
   * failure to score is only a warning: the checkpoint is already safe.
   */
  async checkpoint(warn: (msg: string) => void = () => {}): Promise<string> {
    const dir = await saveCheckpoint(
      this.runDir,
      { format: 1, step: this.state.step, config: this.cfg, rng: this.state.rng.state(), backend: this.backend, appVersion: APP_VERSION },
      stateTensors(this.state),
      this.vocab,
      this.cfg.keepCheckpoints,
    );
    if (this.heldOut.length) {
      try {
        const recon = await reconstructionScore({ ...this.state.model.params, ...emaView(this.state) }, this.splitData().heldOut);
        await fs.appendFile(path.join(this.runDir, 'log.jsonl'), `${JSON.stringify({ step: this.state.step, recon })}\n`);
      } catch (err) {
        warn(
          `could not score the held-out reconstructions at step ${this.state.step}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
        );
      }
    }
    return dir;
  }

  /** Fixed prompts × fixed seeds from the EMA generator, written to samples/step-N.png. */
  async writeSampleSheet(): Promise<string> {
    const p = emaView(this.state);
    const file = path.join(this.runDir, 'samples', `step-${String(this.state.step).padStart(8, '0')}.png`);
    const draw = this.state.model.generate;
    if (!draw) return writeFlowSheet(file, p, this.dataset, this.vocab, this.cfg);
    const images: Uint8Array[] = [];
    for (const prompt of this.prompts)
      for (const seed of SHEET_SEEDS)
        images.push(snapSample((await sampleOne(draw, p, this.vocab, this.cfg, { prompt, seed })).pixels, this.cfg));
    const rgb = imageChannels(this.cfg) === 4 ? images.map((img) => overCheckerboard(img, this.cfg.size)) : images;
    const grid = gridRgb(rgb, this.cfg.size, SHEET_SEEDS.length);
    await fs.writeFile(file, await encodePng(grid.data, grid.width, grid.height, this.cfg.size < 64 ? 2 : 1));
    await fs.writeFile(path.join(this.runDir, 'samples', 'prompts.json'), JSON.stringify({ prompts: this.prompts, seeds: SHEET_SEEDS }));
    return file;
  }

  dispose(): void {
    for (const v of Object.values(stateTensors(this.state))) v.dispose();
    this.dataset.images.close();
  }
}
