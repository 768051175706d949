// Column sums of a [rows, cols] matrix: the bias gradient, Σ over batch and pixels of dy per channel.
// tfjs's wasm Sum reduces only innermost axes, so it transposed every activation-sized dy first.
// Rows are summed in blocks of BLOCK, the block sums then added up, which keeps float32 rounding error
// growing with rows / BLOCK + BLOCK instead of rows. A caller may split the columns between threads.

const BLOCK = 256;

/** out[c] = Σ_r x[r, c] for the columns [c0, c1) of x [rows, cols]. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32, c0: i32, c1: i32): void {
  const ld = (cols as usize) << 2;
  let c = c0;
  // 16 columns per pass over the rows, then 4, then one at a time.
  for (; c + 16 <= c1; c += 16) {
    let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
    let p = x + ((c as usize) << 2);
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      const r1 = min(r0 + BLOCK, rows);
      for (let r = r0; r < r1; r++) {
        s0 = f32x4.add(s0, v128.load(p));
        s1 = f32x4.add(s1, v128.load(p, 16));
        s2 = f32x4.add(s2, v128.load(p, 32));
        s3 = f32x4.add(s3, v128.load(p, 48));
        p += ld;
      }
      t0 = f32x4.add(t0, s0); t1 = f32x4.add(t1, s1); t2 = f32x4.add(t2, s2); t3 = f32x4.add(t3, s3);
    }
    const o = out + ((c as usize) << 2);
    v128.store(o, t0); v128.store(o, t1, 16); v128.store(o, t2, 32); v128.store(o, t3, 48);
  }
  for (; c + 4 <= c1; c += 4) {
    let t = f32x4.splat(0);
    let p = x + ((c as usize) << 2);
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      let s = f32x4.splat(0);
      const r1 = min(r0 + BLOCK, rows);
      for (let r = r0; r < r1; r++) {
        s = f32x4.add(s, v128.load(p));
        p += ld;
      }
      t = f32x4.add(t, s);
    }
    v128.store(out + ((c as usize) << 2), t);
  }
  for (; c < c1; c++) {
    let t: f32 = 0;
    let p = x + ((c as usize) << 2);
    for (let r0 = 0; r0 < rows; r0 += BLOCK) {
      let s: f32 = 0;
      const r1 = min(r0 + BLOCK, rows);
      for (let r = r0; r < r1; r++) {
        s += load<f32>(p);
        p += ld;
      }
      t += s;
    }
    store<f32>(out + ((c as usize) << 2), t);
  }
}
