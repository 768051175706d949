import { describe, expect, it } from 'vitest';
import { floatBits, relaxedSimd, splitRange } from '#core/compute/wasm/runner';

describe('splitRange', () => {
  it('splits in whole units, as evenly as it can, the rest to the last part', () => {
    expect(splitRange(64, 4, 2)).toEqual([
      [0, 32],
      [32, 64],
    ]);
    expect(splitRange(30, 4, 2)).toEqual([
      [0, 12],
      [12, 30],
    ]);
    expect(splitRange(30, 4, 3)).toEqual([
      [0, 8],
      [8, 16],
      [16, 30],
    ]);
    expect(splitRange(40, 8, 3)).toEqual([
      [0, 8],
      [8, 24],
      [24, 40],
    ]);
  });

  it('never makes more parts than whole units, and always at least one', () => {
    expect(splitRange(6, 4, 4)).toEqual([[0, 6]]);
    expect(splitRange(3, 4, 2)).toEqual([[0, 3]]);
    expect(splitRange(0, 4, 2)).toEqual([[0, 0]]);
  });
});

describe('relaxedSimd', () => {
  it('is available here (Node 20 needs the V8 flag it sets)', () => {
    expect(relaxedSimd()).toBe(true);
  });
});

describe('floatBits', () => {
  it('gives the float32 bits as an integer, rounding to float32 first', () => {
    expect(floatBits(1)).toBe(0x3f800000);
    expect(floatBits(-2)).toBe(-0x40000000);
    expect(floatBits(0.2)).toBe(0x3e4ccccd);
    expect(floatBits(-0)).toBe(-0x80000000);
  });
});
