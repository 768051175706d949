import { describeBackend, initBackend } from '../core/ml/backend';

/** Starts the compute backend named by --backend (else HOMEGROWN_BACKEND, else the ladder). */
export async function startBackend(force?: string, verbose = false) {
  const report = await initBackend({ force });
  if (verbose) process.stderr.write(`${describeBackend(report)}\n`);
  return report;
}
