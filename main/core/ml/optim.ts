// Adam with its state as named variables, so optimizer state is saved and restored like any
// parameter (checkpoints stay a name → tensor map) and resume is exact.
import type { Params } from './params';
import { tf } from '../compute/tf';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../compute/wasm/adam';

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps?: number;
}

/** Creates `opt/<name>/m` and `opt/<name>/v` zero slots for each variable. */
export function adamSlots(vars: Params): Params {
  const slots: Params = {};
  // In a tidy, so the zeros a slot starts from are freed once its first update replaces them.
  for (const [name, v] of Object.entries(vars)) {
    slots[`opt/${name}/m`] = tf.tidy(() => tf.variable(tf.zerosLike(v), false));
    slots[`opt/${name}/v`] = tf.tidy(() => tf.variable(tf.zerosLike(v), false));
  }
  return slots;
}

/** One Adam update; `t` is the 1-based update count for bias correction. */
export function adamApply(vars: Params, grads: tf.NamedTensorMap, slots: Params, h: AdamHyper, t: number): void {
  const { lr, beta1, beta2, eps = 1e-8 } = h;
  const c1 = 1 - beta1 ** t;
  const c2 = 1 - beta2 ** t;
  // On wasm one kernel of ours does the update below, with the same float32 operations.
  const fused = tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
  const attrs: AdamUpdateAttrs = { beta1, beta2, step: lr / c1, c2, eps };
  tf.tidy(() => {
    for (const [name, g] of Object.entries(grads)) {
      const m = slots[`opt/${name}/m`];
      const v = slots[`opt/${name}/v`];
      if (fused) {
        const inputs = { param: vars[name]!, grad: g, m: m!, v: v! };
        const [p2, m2, v2] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        vars[name]!.assign(p2!);
        m!.assign(m2!);
        v!.assign(v2!);
        continue;
      }
      m!.assign(tf.add(tf.mul(m!, beta1), tf.mul(g, 1 - beta1)));
      v!.assign(tf.add(tf.mul(v!, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const update = tf.div(tf.mul(m!, lr / c1), tf.add(tf.sqrt(tf.div(v!, c2)), eps));
      vars[name]!.assign(tf.sub(vars[name]!, update));
    }
  });
}
