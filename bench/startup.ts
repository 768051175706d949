// `npm run bench:startup`: how long the built `homegrown` takes to answer, beside a bare `node -e 0` on
// the same machine at the same time. Runs alternate (node, each command, node, …) so load from other
// processes falls on every row alike; each row is the median of its runs. Targets (issue 15): --version,
// --help and `prompt parse` within 3× node -e 0, `info` under 1 s. The sources run through tsx are timed
// too, as the reference the build replaced. Builds dist/app first.
//   npx tsx bench/startup.ts [--runs 9]
import { spawnSync } from 'node:child_process';
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

function seconds(argv: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOMEGROWN_BACKEND: '' } });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`node ${argv.join(' ')} failed: ${r.stderr}`);
  return s;
}

const build = spawnSync(process.execPath, ['main/build/bundle.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const times = new Map(ROWS.map((r) => [r, [] as number[]]));
for (const row of ROWS) seconds(row.argv); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const row of ROWS) times.get(row)!.push(seconds(row.argv));

const nodeMedian = median(times.get(ROWS[0]!)!);
const lines = [`| command | median s | × node -e 0 | target | met |`, `|---|---:|---:|---|---|`];
let allMet = true;
for (const row of ROWS) {
  const m = median(times.get(row)!);
  const ratio = m / nodeMedian;
  let target = '';
  let met = '';
  if (row.target) {
    const ok = 'times' in row.target ? ratio <= row.target.times : m <= row.target.seconds;
    target = 'times' in row.target ? `≤ ${row.target.times}×` : `< ${row.target.seconds} s`;
    met = ok ? 'yes' : 'NO';
    allMet &&= ok;
  }
  lines.push(`| ${row.label} | ${m.toFixed(3)} | ${ratio.toFixed(2)} | ${target} | ${met} |`);
}
process.stdout.write(`${lines.join('\n')}\n\n${RUNS} runs each, alternating, on node ${process.version}; median per row.\n`);
process.exitCode = allMet ? 0 : 1;
