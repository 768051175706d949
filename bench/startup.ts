// `npm run bench:startup`: how long the built `homegrown` takes to answer, beside a bare `node -e 0` on
// the same machine at the same time. Runs alternate (node, each command, node, …) so load from other
// processes falls on every row alike; each row is the median of its runs. Targets (issue 15): --version,
// --help and `prompt parse` within 3× node -e 0, `info` under 1 s. The sources run through tsx are timed
// too, as the reference the build replaced. Beside wall time each row gives the median CPU time (user +
// system, every thread; bench/cpu-usage.mjs), which other processes on a shared machine inflate much less.
// Builds dist/app first.
//   npx tsx bench/startup.ts [--runs 9]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { median } from './engine';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const RUNS = Number(values.runs);

interface Row {
  label: string;
  argv: string[];
  /** Most allowed: a factor of node -e 0, or seconds. */
  target?: { times: number } | { seconds: number };
}

const ROWS: Row[] = [
  { label: 'node -e 0', argv: ['-e', '0'] },
  { label: 'homegrown --version', argv: ['bin/homegrown.js', '--version'], target: { times: 3 } },
  { label: 'homegrown --help', argv: ['bin/homegrown.js', '--help'], target: { times: 3 } },
  { label: 'homegrown prompt parse "a, b"', argv: ['bin/homegrown.js', 'prompt', 'parse', 'a, b'], target: { times: 3 } },
  { label: 'homegrown info', argv: ['bin/homegrown.js', 'info'], target: { seconds: 1 } },
  { label: 'sources via tsx: --version', argv: ['--import', 'tsx', 'main/cli/index.ts', '--version'] },
];

const CPU_REPORT = ['--import', './bench/cpu-usage.mjs'];

/** Wall and CPU seconds of one run. */
function seconds(argv: string[]): { wall: number; cpu: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...CPU_REPORT, ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOMEGROWN_BACKEND: '' },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} failed: ${r.stderr}`);
  const cpu = /^cpu-seconds: ([\d.]+)$/m.exec(r.stderr.toString());
  if (!cpu) throw new Error(`node ${argv.join(' ')} reported no CPU time`);
  return { wall, cpu: Number(cpu[1]) };
}

const build = spawnSync(process.execPath, ['main/build/bundle.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const times = new Map(ROWS.map((r) => [r, [] as { wall: number; cpu: number }[]]));
for (const row of ROWS) seconds(row.argv); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const row of ROWS) times.get(row)!.push(seconds(row.argv));

const wall = (row: Row) => median(times.get(row)!.map((t) => t.wall));
const cpu = (row: Row) => median(times.get(row)!.map((t) => t.cpu));
const nodeMedian = wall(ROWS[0]!);
const lines = [`| command | median s | × node -e 0 | CPU s | target | met |`, `|---|---:|---:|---:|---|---|`];
let allMet = true;
for (const row of ROWS) {
  const m = wall(row);
  const ratio = m / nodeMedian;
  let target = '';
  let met = '';
  if (row.target) {
    const ok = 'times' in row.target ? ratio <= row.target.times : m <= row.target.seconds;
    target = 'times' in row.target ? `≤ ${row.target.times}×` : `< ${row.target.seconds} s`;
    met = ok ? 'yes' : 'NO';
    allMet &&= ok;
  }
  lines.push(`| ${row.label} | ${m.toFixed(3)} | ${ratio.toFixed(2)} | ${cpu(row).toFixed(3)} | ${target} | ${met} |`);
}
const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' / ');
process.stdout.write(
  `${lines.join('\n')}\n\n${RUNS} runs each, alternating, on node ${process.version}; median per row; load average (1/5/15 min) at the end ${load}.\n`,
);
process.exitCode = allMet ? 0 : 1;
