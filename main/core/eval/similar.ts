// Originality of one image: the k training images of a run nearest to it (16 px thumbnails over white,
// Euclidean), and whether the nearest is closer than the run's copy threshold (copies.ts), which makes
// it a "near copy of <file>".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadInputImage } from '../dataset/input-image';
import { loadDataset } from '../dataset/load';
import { UserError } from '../errors';
import type { RunFile } from '../runs/session';
import { copyThreshold, originality } from './copies';
import type { Features } from './kid';
import { pixelFeature } from './pixels';

export interface Similar {
  /** Nearest first; `path` is relative to the training folder, '/'-separated. */
  neighbours: { path: string; distance: number }[];
  threshold: number | null;
  /** The training image this one nearly copies, or null. */
  nearCopyOf: string | null;
}

/** A run's training images as originality checks need them; open once, check many images. */
export class TrainingNeighbours {
  private constructor(
    readonly root: string,
    readonly run: RunFile,
    private readonly paths: string[],
    private readonly features: Features,
    readonly threshold: number | null,
  ) {}

  static async open(runDir: string, cacheDir?: string): Promise<TrainingNeighbours> {
    const text = await fs.readFile(path.join(runDir, 'run.json'), 'utf8').catch(() => null);
    if (!text) throw new UserError(`${runDir} is not a Homegrown run folder (no run.json); pass the folder \`homegrown train\` created`);
    const run = JSON.parse(text) as RunFile;
    if (!(await fs.stat(run.dataset).catch(() => null))?.isDirectory()) {
      throw new UserError(`the training folder ${run.dataset} of run ${path.basename(runDir)} is gone, so its images cannot be compared`);
    }
    const { size, fit, alpha } = run.config;
    const data = await loadDataset(run.dataset, { size, fit, alpha: alpha === 'on' ? 'on' : 'off', cacheDir });
    const features = data.items.map((_, i) => pixelFeature(data.images.read(i), size, data.channels));
    return new TrainingNeighbours(
      data.root,
      run,
      data.items.map((i) => i.path),
      features,
      copyThreshold(features),
    );
  }

  /** `pixels`: an image at the run's size, RGB (3) or straight RGBA (4). */
  find(pixels: Uint8Array, channels: 3 | 4, k: number): Similar {
    const o = originality(pixelFeature(pixels, this.run.config.size, channels), this.features, this.threshold, k);
    return {
      neighbours: o.neighbours.map((n) => ({ path: this.paths[n.index]!, distance: n.distance })),
      threshold: o.threshold,
      nearCopyOf: o.nearCopyOf === null ? null : this.paths[o.nearCopyOf]!,
    };
  }

  /** An image file of any size, decoded and fitted like a training image. */
  async findFile(file: string, k: number): Promise<Similar> {
    const { size, fit } = this.run.config;
    return this.find((await loadInputImage(file, { size, fit })).pixels, 3, k);
  }
}
