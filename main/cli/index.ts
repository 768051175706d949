// Entry point of the `homegrown` command, bundled to dist/app/homegrown.js (bin/homegrown.js loads it).
import { runGuarded } from './crash';
import { main } from './program';

process.exitCode = await runGuarded(() => main(process.argv.slice(2)));
