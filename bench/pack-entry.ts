// The one script of `npm run bench:pack`'s folder: the bench (bench/run.ts), which starts each trial as
// this same script with `engine` first (bench/engine.ts).
import { main as engine } from './engine';
import { main as bench } from './run';

const script = process.argv[1]!;
if (process.argv[2] === 'engine') await engine(process.argv.slice(3));
else await bench([script, 'engine']);
