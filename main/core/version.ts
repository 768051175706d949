import { readFileSync } from 'node:fs';
import { appPath } from './files/app-root';

/** The app version recorded in checkpoints and image recipes. */
export const APP_VERSION: string = (JSON.parse(readFileSync(appPath('package.json'), 'utf8')) as { version: string }).version;
