// What the app keeps beside a run's own files in runs/<id>/: job.json (where the trainer's run folder
// is, the step the current leg aims at, why it failed) and job.log (the job's messages).
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppFiles } from '../store/files';
import { storedPath } from '../files/paths';

export interface JobFile {
  /** The trainer's run folder, relative to the app data folder; null until the job has made it. */
  runDir: string | null;
  targetStep: number;
  message: string | null;
  /** The `homegrown train` process training this run, while it does; the app leaves such a run alone. */
  pid?: number | null;
}

export const LOG_LINES = 500;

export class RunFiles {
  constructor(private readonly files: AppFiles) {}

  /** Absolute folder the job creates its run folder in. */
  parent(runId: number): string {
    return this.files.resolve(`runs/${runId}`);
  }

  relative(absolute: string): string {
    return storedPath(path.relative(this.files.root, absolute));
  }

  absolute(relative: string): string {
    return this.files.resolve(relative);
  }

  read(runId: number): JobFile {
    try {
      return JSON.parse(readFileSync(this.files.resolve(`runs/${runId}/job.json`), 'utf8')) as JobFile;
    } catch {
      return { runDir: null, targetStep: 0, message: null };
    }
  }

  /** True while a command-line process (not this one) is training the run. */
  trainedElsewhere(runId: number): boolean {
    const { pid } = this.read(runId);
    if (!pid || pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: alive, but another user's.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  async write(runId: number, update: Partial<JobFile>): Promise<JobFile> {
    const next = { ...this.read(runId), ...update };
    await this.files.writeDurable(`runs/${runId}/job.json`, Buffer.from(JSON.stringify(next)));
    return next;
  }

  async appendLog(runId: number, line: string): Promise<void> {
    await fs.appendFile(this.files.resolve(`runs/${runId}/job.log`), `${line.replace(/\n+$/u, '')}\n`);
  }

  async log(runId: number): Promise<string[]> {
    const text = await fs.readFile(this.files.resolve(`runs/${runId}/job.log`), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((l) => l !== '')
      .slice(-LOG_LINES);
  }
}
