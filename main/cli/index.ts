// Entry point of the `homegrown` command (bin/homegrown.js loads this through tsx).
import { runGuarded } from './crash';
import { main } from './program';

process.exitCode = await runGuarded(() => main(process.argv.slice(2)));
