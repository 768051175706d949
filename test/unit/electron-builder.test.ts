// electron-builder.yml, checked with electron-builder's own code: its schema validation, and its file
// matchers deciding, for every file the built app opens by path at run time (main/build/layout.json),
// that the file is packaged, and unpacked from app.asar where a worker thread loads it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import layout from '../../main/build/layout.json';

type Configuration = { files?: unknown; directories?: { output?: string; buildResources?: string } } & Record<string, unknown>;
type Filter = (file: string, stat: { isDirectory(): boolean }) => boolean;
type Matcher = { createFilter(): Filter };
interface ConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
}
interface FileMatcherModule {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformOptions: object,
    packager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): Matcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (s: string) => string,
    platformOptions: object,
    packager: object,
  ): Matcher;
  getFileMatchers(config: Configuration, name: 'asarUnpack', destination: string, options: object): Matcher[] | null;
}

// app-builder-lib as electron-builder itself resolves it.
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { getConfig, validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as ConfigModule;
const matchers = fromBuilder('app-builder-lib/out/fileMatcher') as FileMatcherModule;
const debugLogger = { isEnabled: false, add() {} };

const ROOT = path.resolve('.');
const DEST = '/packaged/resources/app';
const same = (s: string) => s;
const aFile = { isDirectory: () => false };
const pkg = createRequire(import.meta.url)('../../package.json') as {
  main: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

let config: Configuration;
let packaged: Filter;
let packagedModule: Filter;
let unpacked: Filter;
beforeAll(async () => {
  config = await getConfig(ROOT, null, null);
  const outDir = path.resolve(config.directories?.output ?? 'dist');
  const packager = {
    info: {
      projectDir: ROOT,
      buildResourcesDir: config.directories?.buildResources ?? 'build',
      isPrepackedAppAsar: false,
      config,
      debugLogger,
    },
    config,
    debugLogger,
  };
  packaged = matchers.getMainFileMatchers(ROOT, DEST, same, {}, packager, outDir, false)[0]!.createFilter();
  packagedModule = matchers.getNodeModuleFileMatcher(ROOT, DEST, same, {}, packager).createFilter();
  unpacked = matchers
    .getFileMatchers(config, 'asarUnpack', DEST, {
      macroExpander: same,
      customBuildOptions: {},
      globalOutDir: outDir,
      defaultSrc: ROOT,
    })![0]!
    .createFilter();
});

/** Whether electron-builder puts `file` (relative to the root) into the app. */
function isPackaged(file: string): boolean {
  const abs = path.join(ROOT, file);
  if (!file.startsWith('node_modules/')) return packaged(abs, aFile);
  // Packages come with the production dependencies, filtered by the exclusions in `files`.
  const name = file
    .split('/')
    .slice(1, file.startsWith('node_modules/@') ? 3 : 2)
    .join('/');
  return name in pkg.dependencies && packagedModule(abs, aFile);
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validateConfiguration(config, debugLogger)).resolves.toBeUndefined();
    // The check can fail: an unknown key is refused.
    await expect(validateConfiguration({ ...config, fies: ['dist/app/**/*'] }, debugLogger)).rejects.toThrow(/fies/);
  });

  it('packages every file the app opens at run time, and unpacks those that worker threads load', () => {
    for (const { path: file, thread } of layout.runtimeFiles as { path: string; thread?: boolean }[]) {
      expect(isPackaged(file), `${file} is packaged`).toBe(true);
      if (thread) expect(unpacked(path.join(ROOT, file), aFile), `${file} is unpacked`).toBe(true);
    }
    expect(pkg.main).toBe('dist/app/electron-main.js');
    expect(layout.runtimeFiles.map((f) => f.path)).toContain(pkg.main);
  });

  it('packages the bundle and the built renderer but not the sources, the tests or the installers', () => {
    for (const file of [
      'dist/app/chunk-ABCDEF12.js',
      'renderer/dist/assets/index-1234.js',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    ])
      expect(isPackaged(file), file).toBe(true);
    for (const file of [
      'main/cli/index.ts',
      'test/unit/boundaries.test.ts',
      'dist/app/homegrown.js.map',
      'dist/packages/Homegrown-0.1.0.AppImage',
      'dist/bundle-meta.json',
    ]) {
      expect(isPackaged(file), file).toBe(false);
    }
    expect(unpacked(path.join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), aFile)).toBe(true);
  });

  it('leaves the optional native tfjs backends out', () => {
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']);
    for (const name of Object.keys(pkg.optionalDependencies)) {
      expect(packagedModule(path.join(ROOT, 'node_modules', name, 'package.json'), aFile), name).toBe(false);
    }
    expect(packagedModule(path.join(ROOT, 'node_modules/@tensorflow/tfjs-core/package.json'), aFile)).toBe(true);
  });
});
