// Checkpoints that survive crashes: one folder per checkpoint (weights, optimizer state and EMA as one
// name → tensor map, plus step, config, vocabulary and RNG state), written into a temporary folder,
// fsynced, then renamed into place. A manifest holds the SHA-256 of every file; loading verifies
// them and refuses a damaged checkpoint, so a resume falls back to the previous good one.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RngState } from '#shared/rng';
import type { Vocabulary } from '#shared/vocabulary';
import { UserError } from '../errors';
import { syncDir, writeFailureReason, writeSynced } from '../files/durable';
import type { TrainConfig } from '../ml/config';
import { tf } from '../compute/tf';

export interface CheckpointState {
  format: 1;
  step: number;
  config: TrainConfig;
  rng: RngState;
  backend: string;
  appVersion: string;
}

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
}

export interface LoadedCheckpoint {
  dir: string;
  /** SHA-256 of the manifest: identifies this checkpoint in recipes. */
  hash: string;
  state: CheckpointState;
  vocab: Vocabulary;
  tensors: Record<string, { shape: number[]; values: Float32Array }>;
}

const FILES = ['weights.bin', 'tensors.json', 'state.json', 'vocab.json'] as const;
const TMP_PREFIX = '.tmp-';

/** A checkpoint could not be written for a reason the user can fix (disk full, permissions). */
export class CheckpointWriteError extends UserError {}

export function checkpointsDir(runDir: string): string {
  return path.join(runDir, 'checkpoints');
}

function folderName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function saveCheckpoint(
  runDir: string,
  state: CheckpointState,
  tensors: Record<string, tf.Tensor>,
  vocab: Vocabulary,
  keep: number,
): Promise<string> {
  const root = checkpointsDir(runDir);
  const names = Object.keys(tensors).sort();
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const name of names) {
    entries.push({ name, shape: tensors[name]!.shape, offset });
    offset += tensors[name]!.size;
  }
  const weights = new Float32Array(offset);
  for (const e of entries) weights.set((await tensors[e.name]!.data()) as Float32Array, e.offset);

  const contents: Record<(typeof FILES)[number], Uint8Array | string> = {
    'weights.bin': new Uint8Array(weights.buffer),
    'tensors.json': JSON.stringify(entries),
    'state.json': JSON.stringify(state, null, 2),
    'vocab.json': JSON.stringify(vocab),
  };
  const final = path.join(root, folderName(state.step));
  const tmp = path.join(root, `${TMP_PREFIX}${folderName(state.step)}-${process.pid}`);
  try {
    await fs.mkdir(root, { recursive: true });
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(tmp);
    const files: Record<string, string> = {};
    for (const f of FILES) {
      await writeSynced(path.join(tmp, f), contents[f]);
      files[f] = sha256(contents[f]);
    }
    await writeSynced(path.join(tmp, 'manifest.json'), JSON.stringify({ format: 1, step: state.step, files }, null, 2));
    await syncDir(tmp);
    await fs.rm(final, { recursive: true, force: true });
    await fs.rename(tmp, final);
    await syncDir(root);
  } catch (err) {
    // The half-written folder goes; the checkpoints before this one stay as they were.
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => {});
    const why = writeFailureReason(err);
    if (why) throw new CheckpointWriteError(`Cannot write checkpoint step ${state.step} to ${final}: ${why}`);
    throw err;
  }
  await prune(runDir, keep);
  return final;
}

/** Removes temporary folders that interrupted saves of other processes left behind. */
export async function removeLeftovers(runDir: string): Promise<void> {
  const root = checkpointsDir(runDir);
  for (const n of await fs.readdir(root).catch(() => [] as string[])) {
    if (n.startsWith(TMP_PREFIX) && !n.endsWith(`-${process.pid}`)) await fs.rm(path.join(root, n), { recursive: true, force: true });
  }
}

/** Checkpoint folders of a run, oldest first; leftovers of interrupted saves are ignored. */
export async function listCheckpoints(runDir: string): Promise<string[]> {
  const root = checkpointsDir(runDir);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  return names
    .filter((n) => /^step-\d{8}$/.test(n))
    .sort()
    .map((n) => path.join(root, n));
}

async function prune(runDir: string, keep: number): Promise<void> {
  const all = await listCheckpoints(runDir);
  for (const dir of all.slice(0, Math.max(0, all.length - keep))) await fs.rm(dir, { recursive: true, force: true });
  await removeLeftovers(runDir);
}

/** Loads and verifies one checkpoint; throws UserError naming what is wrong. */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  let manifestText: string;
  try {
    manifestText = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch {
    throw new UserError(`${dir} is not a checkpoint (no manifest.json); pass a run folder or one of its checkpoints/step-* folders`);
  }
  let manifest: { files: Record<string, string> };
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    throw new UserError(`checkpoint ${dir} is damaged: manifest.json is not valid JSON`);
  }
  const data: Record<string, Buffer> = {};
  for (const f of FILES) {
    const buf = await fs.readFile(path.join(dir, f)).catch(() => null);
    if (!buf) throw new UserError(`checkpoint ${dir} is damaged: ${f} is missing`);
    if (sha256(buf) !== manifest.files?.[f]) throw new UserError(`checkpoint ${dir} is damaged: ${f} does not match its SHA-256`);
    data[f] = buf;
  }
  const w = data['weights.bin'];
  const weights = new Float32Array(w!.buffer.slice(w!.byteOffset, w!.byteOffset + w!.byteLength));
  const tensors: LoadedCheckpoint['tensors'] = {};
  for (const e of JSON.parse(data['tensors.json']!.toString()) as TensorEntry[]) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    tensors[e.name] = { shape: e.shape, values: weights.subarray(e.offset, e.offset + size) };
  }
  return {
    dir,
    hash: sha256(manifestText),
    state: JSON.parse(data['state.json']!.toString()),
    vocab: JSON.parse(data['vocab.json']!.toString()),
    tensors,
  };
}

/**
 * The newest checkpoint of a run that verifies. Damaged ones are reported through `warn` and
 * skipped. `target` may be a run folder or a checkpoint folder.
 */
export async function loadLatestGood(target: string, warn: (msg: string) => void = () => {}): Promise<LoadedCheckpoint> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat?.isDirectory())
    throw new UserError(`${target} does not exist or is not a folder; pass a run folder made by \`homegrown train\``);
  if (await fs.stat(path.join(target, 'manifest.json')).catch(() => null)) return loadCheckpoint(target);
  const all = await listCheckpoints(target);
  if (all.length === 0) throw new UserError(`${target} has no checkpoints; train it first (\`homegrown train <folder> --out ...\`)`);
  for (const dir of all.reverse()) {
    try {
      return await loadCheckpoint(dir);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      warn(`${e.message}; falling back to the previous checkpoint`);
    }
  }
  throw new UserError(`every checkpoint in ${target} is damaged; the run cannot be resumed`);
}

/** Copies checkpoint values into existing variables (names and shapes must match). */
export function assignTensors(vars: Record<string, tf.Variable>, ckpt: LoadedCheckpoint): void {
  for (const [name, v] of Object.entries(vars)) {
    const t = ckpt.tensors[name];
    if (!t || t.shape.join() !== v.shape.join()) {
      throw new UserError(
        `checkpoint ${ckpt.dir} does not fit this model: ${name} is ${t ? `[${t.shape}]` : 'missing'}, expected [${v.shape}]`,
      );
    }
    tf.tidy(() => v.assign(tf.tensor(t.values, t.shape)));
  }
}
