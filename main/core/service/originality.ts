// Originality through the API: the training images nearest to a generation (gallery.similar), and the
// near-copy check export uses so that a copied output never goes out unmarked. The training images of
// the most recently asked run stay loaded, so browsing one run's gallery decodes its folder once.
import type { Similar } from '#shared/api/gallery';
import { UserError } from '../errors';
import { TrainingNeighbours } from '../eval/similar';
import { RunFiles } from '../jobs/run-files';
import type { Store } from '../store';
import { mustExist } from './errors';

export class Originality {
  private open: { runDir: string; neighbours: Promise<TrainingNeighbours> } | null = null;

  constructor(private readonly store: Store) {}

  async similar(generationId: number, k: number): Promise<Similar> {
    const g = mustExist(this.store.generations.get(generationId), `image ${generationId}`);
    const found = await (await this.neighbours(g.runId)).findFile(this.store.files.resolve(g.path), k);
    const run = this.store.runs.get(g.runId);
    const images = run?.datasetId == null ? [] : this.store.datasets.images(run.datasetId);
    const ids = new Map(images.map((i) => [i.path, i.id]));
    return { ...found, neighbours: found.neighbours.map((n) => ({ ...n, imageId: ids.get(n.path) ?? null })) };
  }

  /**
   * The training file each near-copied generation copies (generations that copy nothing are absent), and
   * the generations that could not be checked because their run's training folder is gone.
   */
  async nearCopies(generationIds: number[]): Promise<{ copies: Map<number, string>; unchecked: number[] }> {
    const copies = new Map<number, string>();
    const unchecked: number[] = [];
    for (const id of generationIds) {
      const g = mustExist(this.store.generations.get(id), `image ${id}`);
      const neighbours = await this.neighbours(g.runId).catch((e: unknown) => {
        if (e instanceof UserError) return null;
        throw e;
      });
      if (!neighbours) {
        unchecked.push(id);
        continue;
      }
      const found = await neighbours.findFile(this.store.files.resolve(g.path), 1);
      if (found.nearCopyOf) copies.set(id, found.nearCopyOf);
    }
    return { copies, unchecked };
  }

  // Async so that a run without a training folder rejects like a folder that is gone (nearCopies counts both as unchecked).
  private async neighbours(runId: number): Promise<TrainingNeighbours> {
    const { runDir } = new RunFiles(this.store.files).read(runId);
    if (runDir === null) throw new UserError(`Run ${runId} has no training folder to compare with`);
    const abs = this.store.files.resolve(runDir);
    if (this.open?.runDir !== abs) {
      const neighbours = TrainingNeighbours.open(abs, this.store.files.resolve('cache'));
      // A failed load is not kept: the next call tries again (the folder may be back).
      neighbours.catch(() => (this.open = null));
      this.open = { runDir: abs, neighbours };
    }
    return this.open.neighbours;
  }
}
