// How well a flow run predicts motion on held-out sequences whose motion is known:
//  - next frame: PSNR of the predicted frame t+1 against "copy frame t" and linear extrapolation
//    (2·x_t − x_{t−1}, the "linear blend" continued);
//  - in-between: frame t from t−1 and t+1 against their linear blend;
//  - direction: the motion the predicted flow implies (minus the backward flow, averaged over the
//    sprite's pixels) against the caption's; for rotation, the sign of its curl around the sprite.
import type { LoadedDataset } from '../dataset/load';
import { sequencesOf } from '../runs/flow-data';
import { predictNext } from '../ml/flow';
import { psnr } from '../ml/metrics';
import { inbetweenFrames, type MotionModel } from '../runs/motion';
import { conditionFor } from '../ml/sample';
import { tf } from '../compute/tf';

/** Expected on-screen motion per caption: a direction (x right, y down), or clockwise rotation. */
export type ExpectedMotion = Record<string, [number, number] | 'clockwise'>;

export interface MotionScores {
  pairs: number;
  nextFrame: { model: number; copyLast: number; linear: number };
  inbetween: { model: number; blend: number };
  /** Per caption: mean motion in pixels per frame, and the share of pairs moving the right way. */
  direction: Record<string, { mean: [number, number]; curl: number; correct: number; pairs: number }>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
// A pixel belongs to the sprite when it is clearly darker than the white background.
const isSprite = (px: Uint8Array, i: number) => Math.min(px[i * 3]!, px[i * 3 + 1]!, px[i * 3 + 2]!) < 200;

function linear(prev: Uint8Array, cur: Uint8Array): Uint8Array {
  return Uint8Array.from(cur, (v, i) => Math.max(0, Math.min(255, 2 * v - prev[i]!)));
}

function blend(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Uint8Array.from(a, (v, i) => Math.round((v + b[i]!) / 2));
}

/** Mean motion (−flow) over the sprite pixels of `frame`, and its curl around their centroid (> 0: clockwise on screen). */
function motionOf(flow: Float32Array, frame: Uint8Array, size: number): { v: [number, number]; curl: number } {
  const pts: [number, number, number, number][] = [];
  for (let i = 0; i < size * size; i++)
    if (isSprite(frame, i)) pts.push([i % size, Math.floor(i / size), -flow[2 * i]!, -flow[2 * i + 1]!]);
  const [cx, cy, vx, vy] = [0, 1, 2, 3].map((k) => mean(pts.map((p) => p[k]!)));
  return { v: [vx!, vy!], curl: mean(pts.map(([x, y, u, w]) => (x - cx!) * w - (y - cy!) * u)) };
}

export async function evaluateMotion(model: MotionModel, data: LoadedDataset, expected: ExpectedMotion): Promise<MotionScores> {
  const size = model.cfg.size;
  const index = new Map(data.items.map((item, i) => [item.path, i]));
  const image = (path: string) => data.images.read(index.get(path)!);
  const rgb = (d: Uint8Array) => ({ data: d, width: size, height: size });
  const next = { model: [] as number[], copyLast: [] as number[], linear: [] as number[] };
  const between = { model: [] as number[], blend: [] as number[] };
  const direction: MotionScores['direction'] = {};
  for (const s of sequencesOf(data.items)) {
    const caption = data.items[index.get(s.frames[0]!)!]!.caption;
    const want = expected[caption];
    const { bag } = conditionFor(model.vocab, model.cfg, caption);
    const frames = s.frames.map(image);
    for (let t = 0; t + 1 < frames.length; t++) {
      const out = tf.tidy(() => {
        const x = tf.sub(tf.div(tf.tensor4d(frames[t]!, [1, size, size, 3], 'float32'), 127.5), 1) as tf.Tensor4D;
        const o = predictNext(model.weights, x, tf.tensor2d(bag, [1, bag.length]));
        return [tf.clipByValue(tf.round(tf.mul(tf.add(o.next, 1), 127.5)), 0, 255), o.flow];
      });
      const [pred, flow] = await Promise.all(out.map((o) => o.data()));
      tf.dispose(out);
      const truth = rgb(frames[t + 1]!);
      next.model.push(psnr(rgb(Uint8Array.from(pred!)), truth));
      next.copyLast.push(psnr(rgb(frames[t]!), truth));
      if (t > 0) next.linear.push(psnr(rgb(linear(frames[t - 1]!, frames[t]!)), truth));
      if (t > 0) {
        const [mid] = await inbetweenFrames(model.weights, frames[t - 1]!, frames[t + 1]!, size, model.vocab.tokens.length, 1);
        between.model.push(psnr(rgb(mid!), rgb(frames[t]!)));
        between.blend.push(psnr(rgb(blend(frames[t - 1]!, frames[t + 1]!)), rgb(frames[t]!)));
      }
      if (want) {
        const m = motionOf(flow as Float32Array, frames[t]!, size);
        const ok =
          want === 'clockwise' ? m.curl > 0 : m.v[0] * want[0] + m.v[1] * want[1] > Math.SQRT1_2 * Math.hypot(...m.v) * Math.hypot(...want);
        const d = (direction[caption] ??= { mean: [0, 0], curl: 0, correct: 0, pairs: 0 });
        d.mean = [d.mean[0] + m.v[0], d.mean[1] + m.v[1]];
        d.curl += m.curl;
        d.correct += ok ? 1 : 0;
        d.pairs++;
      }
    }
  }
  for (const d of Object.values(direction)) {
    d.mean = [d.mean[0] / d.pairs, d.mean[1] / d.pairs];
    d.curl /= d.pairs;
    d.correct /= d.pairs;
  }
  return {
    pairs: next.model.length,
    nextFrame: { model: mean(next.model), copyLast: mean(next.copyLast), linear: mean(next.linear) },
    inbetween: { model: mean(between.model), blend: mean(between.blend) },
    direction,
  };
}
