import { createRequire } from 'node:module';

/** The app version recorded in checkpoints and image recipes. */
export const APP_VERSION: string = createRequire(import.meta.url)('../../package.json').version;
