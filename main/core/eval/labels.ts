// What the eval classifier learns to tell apart, and the fixed split it is tested on. Classes are whole
// captions, the prompts a run is conditioned on: the most frequent ones with at least MIN_PER_CLASS
// images, at most MAX_CLASSES of them. A folder with fewer than two such captions has no classifier.
import { createHash } from 'node:crypto';

export const MIN_PER_CLASS = 4;
export const MAX_CLASSES = 16;
/** Share of each class's images held out from the classifier's training to measure its accuracy. */
export const HOLD_OUT_SHARE = 0.2;

export interface Classes {
  names: string[];
  /** Per image: its class index, or -1 when its caption is not a class. */
  labels: number[];
}

/** Captions by frequency (ties by name), with their image counts. */
export function captionCounts(captions: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of captions) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** The classes of a folder, or why it has none. */
export function captionClasses(captions: string[]): Classes | { reason: string } {
  const counts = captionCounts(captions);
  const names = counts
    .filter(([, n]) => n >= MIN_PER_CLASS)
    .slice(0, MAX_CLASSES)
    .map(([c]) => c);
  if (names.length < 2) {
    const reason =
      counts.length === 1
        ? `every image has the same caption ("${counts[0]![0]}")`
        : `fewer than two captions are shared by at least ${MIN_PER_CLASS} images`;
    return { reason };
  }
  const index = new Map(names.map((n, i) => [n, i]));
  return { names, labels: captions.map((c) => index.get(c) ?? -1) };
}

/**
 * The held-out images: per class, the share HOLD_OUT_SHARE (at least one) with the smallest hash of
 * seed and path, so the split depends on neither the order of the files nor the other files present.
 */
export function holdOutSplit(paths: string[], labels: number[], seed: number): Set<number> {
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    if (l >= 0) byClass.set(l, [...(byClass.get(l) ?? []), i]);
  });
  const held = new Set<number>();
  const key = (i: number) => createHash('sha256').update(`${seed}\0${paths[i]}`).digest('hex');
  for (const members of byClass.values()) {
    const n = Math.max(1, Math.round(members.length * HOLD_OUT_SHARE));
    for (const i of members.sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, n)) held.add(i);
  }
  return held;
}
