import { describe, expect, it } from 'vitest';
import { explainWebgpuError, webgpuFailure } from '#core/compute/webgpu/start';

describe('explainWebgpuError', () => {
  it('says what to do about out of memory and a lost device, in one line', () => {
    expect(explainWebgpuError(new Error('Out of memory: failed to allocate buffer\n  at createBuffer'))).toBe(
      'The GPU ran out of memory: lower the batch size or the image size, or train on wasm',
    );
    expect(explainWebgpuError(new Error('Device is lost'))).toMatch(/^The GPU stopped answering \(WebGPU device lost/);
    expect(explainWebgpuError(new Error('first line\nsecond'))).toBe('The GPU failed: first line');
  });

  it('tells out of memory (stop) from a lost device or any other failure (go on elsewhere)', () => {
    expect(webgpuFailure(new Error('Out of memory while creating buffer'))).toBe('memory');
    expect(webgpuFailure(new Error('Device is lost'))).toBe('lost');
    expect(webgpuFailure(new Error('Validation error: invalid bind group'))).toBe('other');
  });
});
