// Typed messages between the app and a training job process (over the child's IPC channel).

/**
 * App → job. The first message is `start` or `resume` (`logDir`: where crash reports go); `stop` asks
 * for a checkpoint and a clean exit.
 */
export type JobRequest =
  | {
      type: 'start';
      dataset: string;
      out: string;
      config: Record<string, unknown>;
      /** A time budget: training ends with a checkpoint once it is spent. */
      minutes?: number;
      backend?: string;
      cacheDir?: string;
      logDir?: string;
    }
  | {
      type: 'resume';
      runDir: string;
      steps?: number;
      config?: Record<string, unknown>;
      backend?: string;
      cacheDir?: string;
      logDir?: string;
    }
  | { type: 'stop' };

/** Job → app. Paths are absolute. Exactly one `done` or `error` precedes a clean exit. */
export type JobMessage =
  | { type: 'started'; runDir: string; backend: string; step: number; targetStep: number; batch: number; images: number }
  | { type: 'log'; line: string }
  | { type: 'step'; step: number; targetStep: number; losses: Record<string, number>; imagesPerSec: number }
  | { type: 'sheet'; file: string; step: number }
  | { type: 'checkpoint'; dir: string; step: number; manifestHash: string }
  /** The GPU failed; training goes on with `backend` from the last checkpoint. `line` says so. */
  | { type: 'fallback'; backend: string; line: string }
  | { type: 'done'; step: number; stopped: boolean }
  /** `message` is one readable line; for an unexpected error, `log` is the file holding its stack. */
  | { type: 'error'; message: string; user: boolean; log?: string };

export function isJobMessage(value: unknown): value is JobMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
