// Typed messages between the app and its generation process (over the child's IPC channel). The app
// asks, the process answers each request once, by id, in the order asked.
import type { Recipe, TileMode } from '#shared/recipe';

/** App → generation process. */
export type GenerationRequest =
  /** Load a checkpoint folder (once per checkpoint); `backend` is forced on the first. */
  | { type: 'open'; id: number; checkpoint: string; backend?: string }
  /** The words of these prompts that the open checkpoint's model never saw. */
  | { type: 'unknownWords'; id: number; prompts: { prompt: string; negative: string }[] }
  /** One image from the open checkpoint. */
  | { type: 'draw'; id: number; prompt: string; negative: string; seed: number; tile?: TileMode };

/** Generation process → app. `png` is base64, as JSON carries it on both Node's and Electron's channels. */
export type GenerationReply =
  | { type: 'opened'; id: number; backend: string }
  | { type: 'words'; id: number; unknown: string[] }
  | { type: 'image'; id: number; png: string; recipe: Recipe }
  /** `message` is one readable line; `user`: the request was at fault (a damaged checkpoint), not the app. */
  | { type: 'error'; id: number; message: string; user: boolean };

export function isGenerationReply(value: unknown): value is GenerationReply {
  const v = value as { type?: unknown; id?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.type === 'string' && typeof v.id === 'number';
}
