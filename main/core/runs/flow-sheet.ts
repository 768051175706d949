// The flow model's sample sheet: for one sequence of each motion caption, a row of its real frames and
// below it the frames the model predicts from the first one.
import { promises as fs } from 'node:fs';
import type { Vocabulary } from '#shared/vocabulary';
import type { LoadedDataset } from '../dataset/load';
import type { TrainConfig } from '../ml/config';
import { sequencesOf } from './flow-data';
import { gridRgb } from '../ml/image';
import { encodePng } from '../media/png';
import { rollout } from './motion';
import type { Params } from '../ml/params';
import { conditionFor } from '../ml/sample';

const COLUMNS = 6;
const SEQUENCES = 5;

export async function writeFlowSheet(
  file: string,
  p: Params,
  dataset: LoadedDataset,
  vocab: Vocabulary,
  cfg: TrainConfig,
): Promise<string> {
  const px = cfg.size * cfg.size * 3;
  const index = new Map(dataset.items.map((item, i) => [item.path, i]));
  const pixelsOf = (path: string) => dataset.images.read(index.get(path)!);
  const seen = new Set<string>();
  const rows: Uint8Array[] = [];
  for (const s of sequencesOf(dataset.items)) {
    const caption = dataset.items[index.get(s.frames[0]!)!]!.caption;
    if (seen.has(caption) || seen.size >= SEQUENCES) continue;
    seen.add(caption);
    const real = s.frames.slice(0, COLUMNS).map(pixelsOf);
    const blank = new Uint8Array(px).fill(255);
    rows.push(...real, ...Array.from({ length: COLUMNS - real.length }, () => blank));
    rows.push(real[0]!, ...(await rollout(p, real[0]!, cfg.size, conditionFor(vocab, cfg, caption).bag, COLUMNS - 1)));
  }
  const grid = gridRgb(rows, cfg.size, COLUMNS);
  await fs.writeFile(file, await encodePng(grid.data, grid.width, grid.height, cfg.size < 64 ? 2 : 1));
  return file;
}
