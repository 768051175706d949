// The renderer's production build (renderer/vite.config.ts), for `npm start` and `npm run dist`.
import { fileURLToPath } from 'node:url';

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
