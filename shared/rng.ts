// Seeded random numbers for everything the engine randomises (weights, batches, noise, augmentation).
// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state that we can save in a
// checkpoint and restore, so a resumed run draws exactly the numbers the straight run would have.

export type RngState = [number, number, number, number];

/** Seeds are 32-bit: 0 … 2^32 − 1 everywhere (CLI, API, training config, recipes). */
export const MAX_SEED = 2 ** 32 - 1;

export class Rng {
  private s: Uint32Array;

  constructor(seed: number | RngState) {
    if (Array.isArray(seed)) {
      this.s = Uint32Array.from(seed);
    } else {
      // splitmix32 spreads a small integer seed over the whole state.
      let x = seed >>> 0;
      const next = () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
      };
      this.s = Uint32Array.of(next(), next(), next(), next());
      for (let i = 0; i < 12; i++) this.u32();
    }
  }

  state(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  u32(): number {
    const s = this.s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Standard normal (Box–Muller; one value per call keeps the state easy to reason about). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  normals(n: number, scale = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * scale;
    return out;
  }

  /** A new generator whose stream is independent of this one's future draws. */
  fork(): Rng {
    return new Rng([this.u32(), this.u32(), this.u32(), this.u32() | 1]);
  }
}
