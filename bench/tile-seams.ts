// Seam error of a trained run's samples with and without --tile xy, over N seeds and the run's sheet
// prompts: mean |difference| across the wrap vs. between neighbours inside (0–255 units).
// Usage: npx tsx bench/tile-seams.ts <run> [n=16] [prompt]
import { seamError } from '../main/core/export/seam';
import { initBackend } from '../main/core/compute/backend';
import { Sampler } from '../main/core/runs/sampler';
import type { TileMode } from '../shared/recipe';

const [run, n = '16', prompt = ''] = process.argv.slice(2);
if (!run) throw new Error('usage: npx tsx bench/tile-seams.ts <run> [n] [prompt]');
const backend = await initBackend({});
const sampler = await Sampler.open(run, backend.active);
for (const tile of [undefined, 'xy'] as (TileMode | undefined)[]) {
  let [wrap, interior] = [0, 0];
  for (let seed = 0; seed < Number(n); seed++) {
    const s = await sampler.sample({ prompt, seed }, tile);
    const e = seamError(s.pixels, sampler.cfg.size, sampler.cfg.size, 3, 'xy');
    wrap += e.wrap / Number(n);
    interior += e.interior / Number(n);
  }
  console.log(
    `${tile ? 'tile xy' : 'plain  '}  wrap ${wrap.toFixed(1)}  interior ${interior.toFixed(1)}  ratio ${(wrap / interior).toFixed(2)}`,
  );
}
sampler.dispose();
