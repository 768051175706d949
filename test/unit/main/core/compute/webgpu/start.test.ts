import { describe, expect, it } from 'vitest';
import { explainWebgpuError } from '#core/compute/webgpu/start';

describe('explainWebgpuError', () => {
  it('says what to do about out of memory and a lost device, in one line', () => {
    expect(explainWebgpuError(new Error('Out of memory: failed to allocate buffer\n  at createBuffer'))).toBe(
      'The GPU ran out of memory: lower the batch size or the image size, or train with --backend wasm',
    );
    expect(explainWebgpuError(new Error('Device is lost'))).toMatch(/^The GPU stopped answering \(WebGPU device lost/);
    expect(explainWebgpuError(new Error('first line\nsecond'))).toBe('first line');
  });
});
