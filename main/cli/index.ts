// Entry point of the `homegrown` command (bin/homegrown.js loads this through tsx).
import { main } from './program';

process.exitCode = await main(process.argv.slice(2));
