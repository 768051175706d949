// About the running app: version, mode, backend, data folder, and the training choices it offers.
import { z } from 'zod';
import { ModelKind } from './runs';

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  /** App data folder. */
  home: z.string(),
  /** Compute backend in use: generation's in this process, else the newest run's (null before either). */
  backend: z.string().nullable(),
  /** The device that computes: the GPU adapter's name, or "CPU, 2 threads"; null when no backend starts. */
  device: z.string().nullable(),
  models: z.array(ModelKind),
  sizes: z.array(z.int()),
  /** Training presets: a name and the config fields it sets. */
  trainingPresets: z.array(z.object({ name: z.string(), config: z.record(z.string(), z.unknown()) })),
  /** Every training config field with its default: the advanced settings. */
  configDefaults: z.record(z.string(), z.unknown()),
});

export const appMethods = {
  'app.info': { input: z.strictObject({}), output: AppInfo },
  /** Electron: the native folder dialog (null when cancelled). Web mode: a `user` error. */
  'app.pickFolder': { input: z.strictObject({}), output: z.object({ folder: z.string().nullable() }) },
  /**
   * The sub-folders of `folder` (default: the user's home), for choosing a folder in web mode. Only
   * folders inside the home folder are listed; anything else (a link out included) is a `user` error.
   */
  'app.browseFolder': {
    input: z.strictObject({ folder: z.string().optional() }),
    output: z.object({ folder: z.string(), parent: z.string().nullable(), folders: z.array(z.string()) }),
  },
} as const;

export type AppInfo = z.infer<typeof AppInfo>;
