// Filter re-layouts for the conv input gradient, done on the host: wasm's Reverse, GatherV2 and
// Transpose kernels walk these [kh, kw, in, out] filters one element at a time with index arithmetic
// (a 3×3×256×512 Reverse took 90 ms), while a typed-array loop over the same values takes a few ms.
// Pure data movement, so the results are exact.
import { tf } from '../tf';

/** [kh, kw, in, out] → [kh, kw, out, in] rotated 180°: the filter of the stride-1 input gradient. */
export function flippedFilter(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const w = filter.dataSync();
  const out = new Float32Array(w.length);
  for (let a = 0; a < kh; a++)
    for (let b = 0; b < kw; b++) {
      const src = ((kh - 1 - a) * kw + (kw - 1 - b)) * cin * cout;
      const dst = (a * kw + b) * cout * cin;
      for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[dst + o * cin + i] = w[src + i * cout + o]!;
    }
  return tf.tensor4d(out, [kh, kw, cout, cin]);
}

/**
 * The polyphase input-gradient filter [winH, winW, out, phases·in]: window position (a, b) and phase p
 * read tap `taps[(a·winW + b)·phases + p]` of `filter` with in/out swapped, or zero where it is −1.
 */
export function phaseFilter(filter: tf.Tensor4D, winH: number, winW: number, phases: number, taps: number[]): tf.Tensor4D {
  const [, , cin, cout] = filter.shape;
  const w = filter.dataSync();
  const out = new Float32Array(winH * winW * cout * phases * cin);
  for (let ab = 0; ab < winH * winW; ab++)
    for (let p = 0; p < phases; p++) {
      const tap = taps[ab * phases + p]!;
      if (tap < 0) continue;
      const src = tap * cin * cout;
      for (let o = 0; o < cout; o++) {
        const dst = (ab * cout + o) * phases * cin + p * cin;
        for (let i = 0; i < cin; i++) out[dst + i] = w[src + i * cout + o]!;
      }
    }
  return tf.tensor4d(out, [winH, winW, cout, phases * cin]);
}
