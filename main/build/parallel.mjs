// Runs independent checks side by side, as many at a time as there are cores, for `npm test`: each
// command's output is held until it ends, then printed whole under a line with its time, so outputs do
// not interleave. Exits 1 if any failed (after all have ended, so every failure is shown at once).
//   node main/build/parallel.mjs "<command>" "<command>" …
import { spawn } from 'node:child_process';
import os from 'node:os';

const commands = process.argv.slice(2);
const slots = Math.max(1, Math.min(os.availableParallelism(), commands.length));
let next = 0;
let failed = 0;

function run(command) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('close', (code) => {
      const seconds = ((performance.now() - start) / 1000).toFixed(1);
      if (code !== 0) failed++;
      process.stdout.write(`\n${code === 0 ? 'ok' : `FAILED (exit ${code})`}: ${command} (${seconds} s)\n${Buffer.concat(out)}`);
      resolve();
    });
  });
}

async function worker() {
  while (next < commands.length) await run(commands[next++]);
}

await Promise.all(Array.from({ length: slots }, worker));
if (failed) {
  process.stderr.write(`${failed} of ${commands.length} checks failed\n`);
  process.exit(1);
}
