// The motion model: a small prompt-conditioned U-Net that looks at frame t (and, when it is known, the
// frame to reach) and outputs a dense optical flow, an occlusion/blend mask and a residual image.
//   predict:  next = m · warp(frame, flow) + (1 − m) · residual, from the frame and the motion prompt;
//   estimate: the same network shown both frames (and no prompt) gives the flow between them, used by
//             in-betweening in both directions; scored by warping alone, so it cannot copy its answer.
// Self-supervised on consecutive frames: photometric L1 + SSIM-style loss, flow smoothness, and a
// mask term that makes the residual the exception rather than the rule.
import type { Rng } from '#shared/rng';
import { UserError } from '../errors';
import type { TrainConfig } from './config';
import { conv, convLrelu, film, lrelu, upConv } from './layers';
import type { Batch, Model } from './model';
import { ParamBuilder, type Params } from './params';
import { addTextEncoder, encodeText } from './text';
import { tf } from '../compute/tf';
import { warp } from './warp';

type Dims = Pick<TrainConfig, 'size' | 'channels' | 'embDim'>;

/** Loss weights (photometric terms are means over pixels; flow is in pixels). */
export const FLOW_LOSS = { ssim: 0.85, l1: 0.15, smooth: 0.02, mask: 0.01 } as const;
// The mask starts mostly on the warp: sigmoid(2) ≈ 0.88.
const MASK_BIAS = 2;

export interface FlowOutput {
  /** [B, S, S, 2] as (dx, dy) in pixels: out(p) = frame(p + flow(p)). */
  flow: tf.Tensor4D;
  /** [B, S, S, 1] in (0, 1): weight of the warped frame against the residual. */
  mask: tf.Tensor4D;
  /** [B, S, S, 3] in [-1, 1]. */
  residual: tf.Tensor4D;
}

/** Largest flow the head can express, in pixels: a quarter of the frame per step. */
export const maxFlow = (size: number) => size / 4;

export function addFlowNet(b: ParamBuilder, cfg: Dims, vocabSize: number): void {
  const c = cfg.channels;
  addTextEncoder(b, 'f/text', vocabSize, cfg.embDim, cfg.embDim);
  const film = (name: string, ch: number) => b.dense(name, cfg.embDim, 2 * ch, 0.1);
  b.conv('f/in', 3, 6, c);
  b.conv('f/down1', 3, c, 2 * c);
  b.conv('f/down2', 3, 2 * c, 4 * c);
  film('f/film2', 4 * c);
  b.conv('f/down3', 3, 4 * c, 4 * c);
  film('f/film3', 4 * c);
  b.upConv('f/up3', 4 * c, 4 * c);
  b.conv('f/merge2', 3, 8 * c, 2 * c);
  film('f/filmm2', 2 * c);
  b.upConv('f/up2', 2 * c, 2 * c);
  b.conv('f/merge1', 3, 4 * c, c);
  film('f/filmm1', c);
  b.upConv('f/up1', c, c);
  b.conv('f/merge0', 3, 2 * c, c);
  b.conv('f/out', 3, c, 6, 0.1);
}

/** frame [B, S, S, 3], other [B, S, S, 3] (zeros when predicting), bags [B, V]. */
export function flowNet(p: Params, frame: tf.Tensor4D, other: tf.Tensor4D, bags: tf.Tensor2D): FlowOutput {
  const cond = encodeText(p, 'f/text', bags);
  const e0 = convLrelu(p, 'f/in', tf.concat([frame, other], 3));
  const e1 = convLrelu(p, 'f/down1', e0, 2);
  const e2 = lrelu(film(p, 'f/film2', conv(p, 'f/down2', e1, 2), cond));
  const e3 = lrelu(film(p, 'f/film3', conv(p, 'f/down3', e2, 2), cond));
  const d2 = lrelu(film(p, 'f/filmm2', conv(p, 'f/merge2', tf.concat([upConv(p, 'f/up3', e3), e2], 3)), cond));
  const d1 = lrelu(film(p, 'f/filmm1', conv(p, 'f/merge1', tf.concat([upConv(p, 'f/up2', d2), e1], 3)), cond));
  const d0 = convLrelu(p, 'f/merge0', tf.concat([upConv(p, 'f/up1', d1), e0], 3));
  const [f, m, r] = tf.split(conv(p, 'f/out', d0), [2, 1, 3], 3);
  return {
    flow: tf.mul(tf.tanh(f!), maxFlow(frame.shape[1])) as tf.Tensor4D,
    mask: tf.sigmoid(tf.add(m!, MASK_BIAS)) as tf.Tensor4D,
    residual: tf.tanh(r!) as tf.Tensor4D,
  };
}

/** The predicted next frame of a prediction-mode output. */
export function composeNext(frame: tf.Tensor4D, out: FlowOutput): tf.Tensor4D {
  return tf.add(tf.mul(out.mask, warp(frame, out.flow)), tf.mul(tf.sub(1, out.mask), out.residual)) as tf.Tensor4D;
}

/** Next frame, flow, mask and residual predicted from frames [B, S, S, 3] and motion prompts [B, V]. */
export function predictNext(p: Params, frame: tf.Tensor4D, bags: tf.Tensor2D): FlowOutput & { next: tf.Tensor4D } {
  const out = flowNet(p, frame, tf.zerosLike(frame), bags);
  return { ...out, next: composeNext(frame, out) };
}

/** Flow f with warp(from, f) ≈ to, estimated from both frames without a prompt. */
export function estimateFlow(p: Params, from: tf.Tensor4D, to: tf.Tensor4D, vocabSize: number): tf.Tensor4D {
  return flowNet(p, from, to, tf.zeros([from.shape[0], vocabSize])).flow;
}

/** 1 − SSIM over 3×3 windows, halved into [0, 1], for images in [-1, 1]. */
export function ssimLoss(a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar {
  const [x, y] = [a, b].map((t) => tf.mul(tf.add(t, 1), 0.5) as tf.Tensor4D);
  const pool = (t: tf.Tensor4D) => tf.avgPool(t, 3, 1, 'same');
  const [mx, my] = [pool(x!), pool(y!)];
  const vx = tf.sub(pool(tf.square(x!) as tf.Tensor4D), tf.square(mx));
  const vy = tf.sub(pool(tf.square(y!) as tf.Tensor4D), tf.square(my));
  const cxy = tf.sub(pool(tf.mul(x!, y!) as tf.Tensor4D), tf.mul(mx, my));
  const [c1, c2] = [0.01 ** 2, 0.03 ** 2];
  const num = tf.mul(tf.add(tf.mul(tf.mul(mx, my), 2), c1), tf.add(tf.mul(cxy, 2), c2));
  const den = tf.mul(tf.add(tf.add(tf.square(mx), tf.square(my)), c1), tf.add(tf.add(vx, vy), c2));
  return tf.mean(tf.clipByValue(tf.div(tf.sub(1, tf.div(num, den)), 2), 0, 1));
}

export function photometricLoss(pred: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  const l1 = tf.mean(tf.abs(tf.sub(pred, target)));
  return tf.add(tf.mul(ssimLoss(pred, target), FLOW_LOSS.ssim), tf.mul(l1, FLOW_LOSS.l1));
}

/** Mean absolute difference of neighbouring flow vectors, in pixels. */
export function smoothness(flow: tf.Tensor4D): tf.Scalar {
  const [, h, w] = flow.shape;
  const dx = tf.sub(tf.slice(flow, [0, 0, 1, 0], [-1, h, w - 1, 2]), tf.slice(flow, [0, 0, 0, 0], [-1, h, w - 1, 2]));
  const dy = tf.sub(tf.slice(flow, [0, 1, 0, 0], [-1, h - 1, w, 2]), tf.slice(flow, [0, 0, 0, 0], [-1, h - 1, w, 2]));
  return tf.add(tf.mean(tf.abs(dx)), tf.mean(tf.abs(dy)));
}

/** Prediction loss on (frame, next) plus estimation loss on the pair in a random direction. */
export function flowLoss(p: Params, batch: Batch, rng: Rng, vocabSize: number): tf.Scalar {
  const next = batch.next;
  if (!next) throw new Error('the flow model trains on frame pairs: the batch has no next frames');
  const pred = predictNext(p, batch.images, batch.bags);
  const predict = tf.addN([
    photometricLoss(pred.next, next),
    tf.mul(smoothness(pred.flow), FLOW_LOSS.smooth),
    tf.mul(tf.mean(tf.sub(1, pred.mask)), FLOW_LOSS.mask),
  ]);
  const [from, to] = rng.float() < 0.5 ? [batch.images, next] : [next, batch.images];
  const est = estimateFlow(p, from, to, vocabSize);
  const estimate = tf.add(photometricLoss(warp(from, est), to), tf.mul(smoothness(est), FLOW_LOSS.smooth));
  return tf.add(predict, estimate) as tf.Scalar;
}

/**
 * The warp's largest matrices are [B, H·W, W·C] (warp.ts), and its gradient keeps several alive. On
 * wasm (4 GB of memory for everything) batch 4 at 128 px trained (2.6 GB peak) and batch 8 crashed
 * inside the backend; refuse such runs up front with the batch that fits.
 */
const WASM_WARP_BYTES = 4 * 128 ** 3 * 3 * 4;

function checkWarpFits(cfg: TrainConfig): void {
  const perImage = cfg.size ** 3 * 3 * 4;
  if (tf.getBackend() !== 'wasm' || cfg.batch * perImage <= WASM_WARP_BYTES) return;
  const fits = Math.floor(WASM_WARP_BYTES / perImage);
  throw new UserError(
    `The flow model at ${cfg.size} px with batch ${cfg.batch} needs more memory for its warp than the wasm backend can hold: ` +
      (fits >= 1 ? `use --batch ${fits} or less at ${cfg.size} px, or train at a smaller size.` : 'train at a smaller size.'),
  );
}

export function createFlow(cfg: TrainConfig, vocabSize: number, rng: Rng): Model {
  checkWarpFits(cfg);
  const b = new ParamBuilder(rng);
  addFlowNet(b, cfg, vocabSize);
  const p = b.params;
  return {
    kind: 'flow',
    params: p,
    averaged: Object.keys(p),
    phases: [{ name: 'flow', vars: Object.keys(p), loss: (batch, r) => flowLoss(p, batch, r, vocabSize) }],
  };
}
