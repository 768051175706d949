// Training data for the flow model: consecutive frames of the dataset's sequences as pairs. The checks
// run before a run folder is made, so a folder the model cannot learn from is refused with nothing written.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MAX_PIXELS, readHeader } from '../dataset/decode';
import type { DatasetItem, LoadedDataset } from '../dataset/load';
import { findSequences, type Sequence } from '../dataset/sequences';
import { UserError } from '../errors';

/** Sequences of the dataset's items in play order (sizes are not looked at). */
export function sequencesOf(items: DatasetItem[]): Sequence[] {
  return findSequences(items.map((i) => ({ path: i.path, width: 0, height: 0 })));
}

/** Index pairs [from, to, …] into the dataset's images: each frame and the one after it. */
export function framePairs(items: DatasetItem[]): Uint32Array {
  const index = new Map(items.map((item, i) => [item.path, i]));
  const pairs: number[] = [];
  for (const s of sequencesOf(items)) {
    for (let t = 0; t + 1 < s.frames.length; t++) pairs.push(index.get(s.frames[t]!)!, index.get(s.frames[t + 1]!)!);
  }
  return Uint32Array.from(pairs);
}

/** Refuses, with a one-line reason, a dataset without usable sequences; returns them otherwise. */
export async function checkSequences(dataset: LoadedDataset): Promise<Sequence[]> {
  const frames = await Promise.all(
    dataset.items.map(async (item) => ({
      path: item.path,
      ...(await readHeader(await readFile(join(dataset.root, item.path)), DEFAULT_MAX_PIXELS)),
    })),
  );
  const sequences = findSequences(frames);
  if (sequences.length === 0) {
    throw new UserError(
      `no animation sequences in ${dataset.root}: the flow model trains on folders of numbered frames (walk/walk_01.png, walk_02.png, …)`,
    );
  }
  const single = sequences.find((s) => s.frames.length < 2);
  if (single)
    throw new UserError(`sequence ${single.folder}/ has only one frame: add the frames that follow it, or move it out of its folder`);
  const mixed = sequences.find((s) => !s.sameSize);
  if (mixed)
    throw new UserError(
      `frames of different sizes in sequence ${mixed.folder}/ (${mixed.sizes.join(', ')}): export every frame at one size`,
    );
  return sequences;
}
