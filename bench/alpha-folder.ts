// Writes the RGBA test dataset (shapes on transparent backgrounds, test/fixtures/alpha-folder.ts) to a
// folder, to train an RGBA model on from the command line. Usage: npx tsx bench/alpha-folder.ts <dir> [count=16]
import { cp } from 'node:fs/promises';
import { buildAlphaFolder } from '../test/fixtures/alpha-folder';

const [dir, count = '16'] = process.argv.slice(2);
if (!dir) throw new Error('usage: npx tsx bench/alpha-folder.ts <dir> [count]');
const built = await buildAlphaFolder(Number(count));
await cp(built.root, dir, { recursive: true });
await built.cleanup();
