// The one training loop. A model supplies its phases (losses over parameter subsets); the loop
// draws batches, applies Adam per phase, keeps the EMA, and reports through hooks. Every step runs
// inside tf.tidy and all randomness comes from the state's RNG, so a run resumed from a checkpoint
// continues exactly where the straight run would be.
import { Rng } from '#shared/rng';
import { premultiply } from './alpha';
import type { TrainConfig } from './config';
import type { Batch, Model } from './model';
import { adamApply, adamSlots } from './optim';
import type { Params } from './params';
import { tf } from '../compute/tf';

/** Images by index, read when a batch needs them: a dataset's images need not fit in memory. */
export interface ImageRows {
  /** Image i's S × S × channels bytes, written into `into` when it is given. */
  read(i: number, into?: Uint8Array): Uint8Array;
}

/** Caption bags by index, e.g. sparse ones (text.ts). */
export interface BagRows {
  /** Writes bag i's V weights into `out` from `at` (those entries are zero). */
  write(i: number, out: Float32Array, at: number): void;
}

export interface TrainData {
  /** N × S × S × channels bytes, or rows of them: RGB, or straight RGBA (premultiplied when drawn, see alpha.ts). */
  images: Uint8Array | ImageRows;
  channels?: 3 | 4;
  /** N × V caption bags, or rows of them. */
  bags: Float32Array | BagRows;
  count: number;
  size: number;
  vocabSize: number;
  /** Frame pairs (flow model): image indices [from0, to0, from1, to1, …]; batches then draw pairs. */
  pairs?: Uint32Array;
}

/** Training data held in two arrays (small synthetic sets, tests). */
export type ArrayData = TrainData & { images: Uint8Array; bags: Float32Array };

export interface TrainState {
  step: number;
  rng: Rng;
  model: Model;
  /** `ema/<name>` for each averaged parameter. */
  ema: Params;
  /** Adam slots `opt/<name>/m|v`. */
  slots: Params;
}

export interface StepInfo {
  step: number;
  losses: Record<string, number>;
  ms: number;
  imagesPerSec: number;
}

export function initState(model: Model, seed: number): TrainState {
  const ema: Params = {};
  // In a tidy, so the clone does not keep the starting weights alive once the average moves on.
  for (const n of model.averaged) ema[`ema/${n}`] = tf.tidy(() => tf.variable(tf.clone(model.params[n]!), false));
  return { step: 0, rng: new Rng(seed ^ 0x5eed), model, ema, slots: adamSlots(model.params) };
}

/** Every tensor of the state by its checkpoint name. */
export function stateTensors(s: TrainState): Record<string, tf.Variable> {
  return { ...s.model.params, ...s.ema, ...s.slots };
}

/** The averaged parameters under their model names, for `model.generate`. */
export function emaView(s: TrainState): Params {
  return Object.fromEntries(s.model.averaged.map((n) => [n, s.ema[`ema/${n}`]!]));
}

/** Image i of the data: a view of it, or `into` (or a new array) filled with it. */
export function imageAt(data: TrainData, i: number, into?: Uint8Array): Uint8Array {
  const px = data.size * data.size * (data.channels ?? 3);
  return data.images instanceof Uint8Array ? data.images.subarray(i * px, (i + 1) * px) : data.images.read(i, into);
}

/** Writes caption bag i of the data into `out` from `at`. */
export function bagInto(data: TrainData, i: number, out: Float32Array, at = 0): void {
  const v = data.vocabSize;
  if (data.bags instanceof Float32Array) out.set(data.bags.subarray(i * v, (i + 1) * v), at);
  else data.bags.write(i, out, at);
}

/** One batch as the step feeds it: images scaled to [-1, 1] (premultiplied when RGBA), bags, and next frames for pairs. */
export function drawBatch(data: TrainData, batch: number, rng: Rng): { images: Float32Array; bags: Float32Array; next?: Float32Array } {
  const channels = data.channels ?? 3;
  const px = data.size * data.size * channels;
  const images = new Float32Array(batch * px);
  const bags = new Float32Array(batch * data.vocabSize);
  const next = data.pairs ? new Float32Array(batch * px) : undefined;
  const scratch = new Uint8Array(px);
  const copy = (to: Float32Array, b: number, i: number) => {
    const src = imageAt(data, i, scratch);
    if (channels === 4) premultiply(src, to, b * px);
    else for (let k = 0; k < px; k++) to[b * px + k] = src[k]! / 127.5 - 1;
  };
  for (let b = 0; b < batch; b++) {
    const pair = data.pairs ? rng.int(data.pairs.length / 2) : -1;
    const i = data.pairs ? data.pairs[2 * pair] : rng.int(data.count);
    copy(images, b, i!);
    if (next) copy(next, b, data.pairs![2 * pair + 1]!);
    bagInto(data, i!, bags, b * data.vocabSize);
  }
  return { images, bags, next };
}

/** One step; the losses stay on the device as scalars for the caller to read and dispose. */
function runStep(s: TrainState, data: TrainData, cfg: TrainConfig): Record<string, tf.Scalar> {
  const { model } = s;
  const host = drawBatch(data, cfg.batch, s.rng);
  const losses: Record<string, tf.Scalar> = {};
  const t = s.step + 1;
  tf.tidy(() => {
    const batch: Batch = {
      images: tf.tensor4d(host.images, [cfg.batch, data.size, data.size, data.channels ?? 3]),
      bags: tf.tensor2d(host.bags, [cfg.batch, data.vocabSize]),
      next: host.next && tf.tensor4d(host.next, [cfg.batch, data.size, data.size, data.channels ?? 3]),
      step: s.step,
    };
    for (const phase of model.phases) {
      const vars = phase.vars.map((n) => model.params[n]!);
      const { value, grads } = tf.variableGrads(() => phase.loss(batch, s.rng), vars);
      const named: tf.NamedTensorMap = {};
      phase.vars.forEach((n, i) => (named[n] = grads[vars[i]!.name]!));
      adamApply(model.params, named, s.slots, cfg, t);
      losses[phase.name] = tf.keep(value);
    }
    // Warm the average up quickly so early samples are not dominated by the random initialisation.
    const beta = Math.min(cfg.emaBeta, (1 + s.step) / (10 + s.step));
    for (const n of model.averaged) {
      const e = s.ema[`ema/${n}`];
      e!.assign(tf.add(tf.mul(e!, beta), tf.mul(model.params[n]!, 1 - beta)));
    }
  });
  s.step = t;
  return losses;
}

function finite(step: number, losses: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(losses)) {
    if (!Number.isFinite(v)) throw new TrainingDiverged(step, `loss ${k} is ${v}`);
  }
  return losses;
}

/** The weights became NaN or infinite: the step's state is unusable and must not be saved. */
export class TrainingDiverged extends Error {
  override name = 'TrainingDiverged';
  constructor(
    readonly step: number,
    readonly detail: string,
  ) {
    super(`training diverged at step ${step}: ${detail}`);
  }
}

export function trainStep(s: TrainState, data: TrainData, cfg: TrainConfig): Record<string, number> {
  const kept = runStep(s, data, cfg);
  const losses = Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, v.dataSync()[0]!]));
  tf.dispose(kept);
  return finite(s.step, losses);
}

/** trainStep reading the losses back asynchronously, as the webgpu backend must in Node. */
export async function trainStepAsync(s: TrainState, data: TrainData, cfg: TrainConfig): Promise<Record<string, number>> {
  const kept = runStep(s, data, cfg);
  const step = s.step;
  const values = await Promise.all(Object.values(kept).map((v) => v.data()));
  const losses = Object.fromEntries(Object.keys(kept).map((k, i) => [k, values[i]![0]!]));
  tf.dispose(kept);
  return finite(step, losses);
}

export interface LoopHooks {
  onStep?(info: StepInfo): void | Promise<void>;
  shouldStop?(): boolean;
}

/** Trains until `untilStep` or until `shouldStop` says so; returns the step reached. */
export async function trainLoop(
  s: TrainState,
  data: TrainData,
  cfg: TrainConfig,
  untilStep: number,
  hooks: LoopHooks = {},
): Promise<number> {
  while (s.step < untilStep && !hooks.shouldStop?.()) {
    const t0 = performance.now();
    const losses = await trainStepAsync(s, data, cfg);
    const ms = performance.now() - t0;
    await hooks.onStep?.({ step: s.step, losses, ms, imagesPerSec: (cfg.batch * 1000) / ms });
  }
  return s.step;
}
