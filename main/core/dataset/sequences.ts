// Animation sequences in a dataset: a folder whose images are all numbered frames of one name
// (walk_01.png … walk_08.png, or 1.png … 12.png). Frames are ordered by natural sort, so frame 10
// follows frame 9. The folder's caption (sidecar or folder name) names the motion.
import { hammingDistance } from './phash';

export interface SequenceFrame {
  path: string;
  width: number;
  height: number;
  /** Perceptual hash (doctor.ts); without it, loops are not looked for. */
  phash?: string;
}

export interface Sequence {
  /** The folder, relative to the dataset root. */
  folder: string;
  /** Frame paths in play order. */
  frames: string[];
  /** Whether every frame has the first frame's width and height. */
  sameSize: boolean;
  /** Distinct sizes found, e.g. ["32×32", "40×40"]. */
  sizes: string[];
  /** The last frame looks like the first (perceptual hash), so the sequence plays as a loop. */
  loops: boolean;
}

// The last frame is "the same picture" as the first when the hashes are this close (out of 64 bits).
const LOOP_BITS = 4;
const FRAME_NAME = /^(.*?)(\d+)\.[^.]+$/u;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order: digit runs compare as numbers ("walk_2" before "walk_10"). */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Groups accepted images into sequences: folders (not the root) whose images are all numbered frames of one stem. */
export function findSequences(images: SequenceFrame[]): Sequence[] {
  const byFolder = new Map<string, SequenceFrame[]>();
  for (const image of images) {
    const slash = image.path.lastIndexOf('/');
    if (slash < 0) continue;
    const folder = image.path.slice(0, slash);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), image]);
  }
  const sequences: Sequence[] = [];
  for (const [folder, frames] of byFolder) {
    const stems = frames.map((f) => FRAME_NAME.exec(f.path.slice(folder.length + 1))?.[1]!.toLowerCase());
    if (stems.some((s) => s === undefined) || new Set(stems).size !== 1) continue;
    frames.sort((a, b) => naturalCompare(a.path, b.path));
    const sizes = [...new Set(frames.map((f) => `${f.width}×${f.height}`))];
    const [first, last] = [frames[0]!.phash, frames[frames.length - 1]!.phash];
    const loops = frames.length > 2 && first !== undefined && last !== undefined && hammingDistance(first, last) <= LOOP_BITS;
    sequences.push({ folder, frames: frames.map((f) => f.path), sameSize: sizes.length === 1, sizes, loops });
  }
  return sequences.sort((a, b) => naturalCompare(a.folder, b.folder));
}
