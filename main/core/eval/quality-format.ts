// The quality curve of a run as text lines, for `homegrown eval` and `homegrown info <run>`.
import type { PromptQuality, RunQuality } from '#shared/api/runs';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));
const kidText = (q: PromptQuality) => (q.kid === null ? '–' : `${q.kid.toFixed(4)}±${(q.kidStd ?? 0).toFixed(4)}`);

function row(label: string, q: PromptQuality): string {
  return `${label}  CAS ${pct(q.cas).padStart(6)}  KID ${kidText(q).padStart(15)}  diversity ${num(q.diversity, 2).padStart(5)}  palette ${num(q.palette, 3)}  copies ${pct(q.copyRate)}`;
}

/** Lines describing the reference, the curve (one line per checkpoint), the best one and its prompts. */
export function formatQuality(q: RunQuality): string[] {
  const ref = q.reference;
  if (!ref) return ['quality: not measured yet (run `homegrown eval <run>`)'];
  const out: string[] = [];
  if (ref.classifier) {
    const c = ref.classifier;
    out.push(
      `eval classifier: ${c.classes.length} captions, trained on ${c.trainImages} images, recognises ${pct(c.accuracy)} of ${c.heldOutImages} held-out real images`,
    );
  }
  out.push(
    `KID and diversity in ${ref.featureSpace === 'classifier' ? "the classifier's feature space" : '16 px thumbnails (no classifier)'}; copy threshold ${num(ref.copyThreshold)} (5th percentile of real nearest-neighbour distances)`,
  );
  out.push(`palette distance of real against real (two halves of the folder): ${num(ref.paletteRealVsReal.overall)}`);
  for (const c of ref.cannot) out.push(`cannot measure: ${c}`);
  for (const p of q.points) out.push(row(`step ${String(p.step).padStart(7)}`, p.overall));
  const best = q.best ? q.points.find((p) => p.step === q.best!.step) : undefined;
  if (q.best && best) {
    out.push(`best checkpoint: step ${q.best.step} (${q.best.reason})`);
    const width = Math.max(...Object.keys(best.prompts).map((k) => k.length));
    for (const [prompt, pq] of Object.entries(best.prompts)) out.push(`  ${row(prompt.padEnd(width), pq)}`);
  }
  return out;
}
