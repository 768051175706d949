// Progress bars for long commands (cli-progress). On a terminal: a live bar with step, losses,
// images/s and ETA. Elsewhere (pipes, CI, tests) a plain line every `every` steps.
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, fields: Record<string, string | number>): void;
  stop(): void;
}

export function progressBar(label: string, total: number, start = 0, every = 50): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} {bar} {value}/{total} | {info} | {rate} | ETA {eta_formatted}`,
        stream: process.stderr,
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, start, { info: '', rate: '' });
    return { update: (v, f) => bar.update(v, f), stop: () => bar.stop() };
  }
  const t0 = Date.now();
  return {
    update: (v, f) => {
      if (v % every !== 0 && v !== total) return;
      const eta = v > start ? Math.round((((Date.now() - t0) / (v - start)) * (total - v)) / 1000) : 0;
      process.stderr.write(`${label} ${v}/${total} | ${f.info ?? ''} | ${f.rate ?? ''} | ETA ${eta}s\n`);
    },
    stop: () => {},
  };
}

/** "d 1.234 g -0.567": the step's losses as a progress bar shows them. */
export function formatLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(' ');
}
