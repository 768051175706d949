// Motion outputs on disk, for the CLI and the app: read the input frames, run the flow model, and write
// the frames, an animated GIF and WebP and a sprite strip into a new folder, each with its recipe.
import { writeAnimation, type AnimationOptions, type WrittenAnimation } from '../media/animation';
import { UserError } from '../errors';
import type { MotionModel } from './motion';

/** Longest animation or in-between run written at once. */
export const MAX_MOTION_FRAMES = 64;

export interface MotionOutput extends WrittenAnimation {
  /** Words of the motion prompt the model never saw (they had no effect). */
  unknown: string[];
}

const slug = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'motion';

function checkCount(n: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UserError(`--frames must be a whole number from ${min} to ${max} (${what}), got ${n}`);
}

/** `frames` frames from the still at `first` moving as `prompt` says, written under `out/`. */
export async function animateToFolder(
  model: MotionModel,
  o: { first: string; prompt: string; frames: number; out: string } & AnimationOptions,
): Promise<MotionOutput> {
  checkCount(o.frames, 2, MAX_MOTION_FRAMES, 'the still counts as frame 1');
  const first = await model.readFrame(o.first);
  const frames = await model.animate(first, o.prompt, o.frames);
  const recipe = model.recipe({ prompt: o.prompt, source: first.sha256, frames: frames.length });
  const set = { frames, width: model.cfg.size, height: model.cfg.size };
  const written = await writeAnimation(o.out, `${model.runName}-animate-${slug(o.prompt)}`, set, recipe, o);
  return { ...written, unknown: model.unknownWords(o.prompt) };
}

/** a, `frames` in-between frames, then b, written under `out/`. */
export async function inbetweenToFolder(
  model: MotionModel,
  o: { a: string; b: string; frames: number; out: string } & AnimationOptions,
): Promise<MotionOutput> {
  checkCount(o.frames, 1, MAX_MOTION_FRAMES - 2, 'frames between the two given ones');
  const [a, b] = [await model.readFrame(o.a), await model.readFrame(o.b)];
  const frames = await model.inbetween(a, b, o.frames);
  const recipe = model.recipe({ prompt: '', source: a.sha256, toSource: b.sha256, frames: frames.length });
  const set = { frames, width: model.cfg.size, height: model.cfg.size };
  return { ...(await writeAnimation(o.out, `${model.runName}-inbetween`, set, recipe, o)), unknown: [] };
}
