// Entry point of the `homegrown` command, bundled to dist/app/homegrown.js (bin/homegrown.js loads it).
import { main } from './program';

process.exitCode = await main(process.argv.slice(2));
