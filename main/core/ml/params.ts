// Parameters are plain objects of named tf.Variables. Names are stable ("g/up1/w") so that a
// checkpoint is just a name → tensor map; initialisers draw from our seeded RNG.
import type { Rng } from '#shared/rng';
import { tf } from '../compute/tf';

export type Params = Record<string, tf.Variable>;

/** He-normal weights (fan-in from all but the last axis, or given). */
export function heNormal(rng: Rng, shape: number[], fanIn: number, gain = Math.SQRT2): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.normals(n, gain / Math.sqrt(fanIn)), shape);
}

/** Builds a parameter set: each `add` creates a trainable variable under `prefix/name`. */
export class ParamBuilder {
  readonly params: Params = {};
  constructor(readonly rng: Rng) {}

  add(name: string, init: tf.Tensor): void {
    if (this.params[name]) throw new Error(`duplicate parameter ${name}`);
    this.params[name] = tf.variable(init, true);
    init.dispose();
  }

  normal(name: string, shape: number[], fanIn: number, gain?: number): void {
    this.add(name, heNormal(this.rng, shape, fanIn, gain));
  }

  zeros(name: string, shape: number[]): void {
    this.add(name, tf.zeros(shape));
  }

  /** Dense layer: `${name}/w` [inDim, outDim], `${name}/b` [outDim]. */
  dense(name: string, inDim: number, outDim: number, gain?: number): void {
    this.normal(`${name}/w`, [inDim, outDim], inDim, gain);
    this.zeros(`${name}/b`, [outDim]);
  }

  /** Conv layer: `${name}/w` [k, k, inC, outC], `${name}/b` [outC]. */
  conv(name: string, k: number, inC: number, outC: number, gain?: number): void {
    this.normal(`${name}/w`, [k, k, inC, outC], k * k * inC, gain);
    this.zeros(`${name}/b`, [outC]);
  }

  /**
   * Sub-pixel up-sampling conv (see layers.upConv): `${name}/w` [3, 3, inC, 4·outC]. ICNR init (Aitken
   * et al. 2017): the four sub-pixel kernels start equal, so the layer starts as nearest-neighbour
   * up-sampling of one conv and shows no checkerboard.
   */
  upConv(name: string, inC: number, outC: number): void {
    const w = heNormal(this.rng, [3, 3, inC, outC], 9 * inC);
    this.add(`${name}/w`, tf.tile(w, [1, 1, 1, 4]));
    w.dispose();
    this.zeros(`${name}/b`, [4 * outC]);
  }
}

export function pick(params: Params, prefix: string): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith(prefix)) out[k] = v;
  return out;
}

export function disposeParams(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}
