// Where the app's own files lie. From the sources (tsx, vitest) this module is
// main/core/files/app-root.ts; in the build every module is bundled into one flat folder, dist/app/
// (main/build/layout.mjs), so one rule finds the repository or package root from either.
import { fileURLToPath } from 'node:url';

/** True when running the TypeScript sources rather than the bundle. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

const ROOT = new URL(FROM_SOURCE ? '../../../' : '../../', import.meta.url);

/** An absolute path from a path relative to the repository (or installed package) root. */
export function appPath(fromRoot: string): string {
  return fileURLToPath(new URL(fromRoot, ROOT));
}

/** A file that exists as a TypeScript source in development and as a bundle in dist/app/. */
export function runtimeEntry(source: string, built: string): string {
  return appPath(FROM_SOURCE ? source : built);
}

/**
 * The same path outside Electron's app.asar archive: worker threads load their script with their own
 * file reads, which do not see inside it, so such files are unpacked beside it (electron-builder.yml).
 */
export function unpacked(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/u, '$1app.asar.unpacked$2');
}
