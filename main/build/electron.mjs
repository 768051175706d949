// The Electron binary, which `npm start` runs and `npm run dist` packages. npm downloads it in
// electron's install script, which it skips unless allowed (package.json "allowScripts"); where it is
// absent, both commands stop here with one line that says so.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const NO_ELECTRON =
  'homegrown: the Electron binary is not installed (npm skips its download); fetch it with `node node_modules/electron/install.js` where GitHub is reachable, or use the app in a browser: `npm run web`';

/** The path of the Electron executable, or null where it is not installed. */
export function electronBinary() {
  try {
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** The Electron executable, or exits with NO_ELECTRON. */
export function requireElectron() {
  const binary = electronBinary();
  if (!binary) {
    process.stderr.write(`${NO_ELECTRON}\n`);
    process.exit(1);
  }
  return binary;
}
