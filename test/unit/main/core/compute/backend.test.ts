import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '#core/errors';
import { describeBackend, initBackend } from '#core/compute/backend';
import { tf } from '#core/compute/tf';

afterEach(() => vi.unstubAllEnvs());

/** A conv filter gradient: throws on wasm unless the gradient patch is installed. */
function convFilterGradSum(): number {
  return tf.tidy(() => {
    const x = tf.ones([2, 5, 5, 1]) as tf.Tensor4D;
    const g = tf.grad((w) => tf.sum(tf.conv2d(x, w as tf.Tensor4D, 2, 'same')))(tf.ones([3, 3, 1, 2]));
    return tf.sum(g).dataSync()[0]!;
  });
}

describe('initBackend', () => {
  it('walks the ladder to wasm here, saying why each native backend and webgpu were skipped', async () => {
    vi.stubEnv('HOMEGROWN_BACKEND', '');
    const r = await initBackend();
    expect(r.active).toBe('wasm');
    expect(r.tfBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(r.reasons.map((x) => [x.name, x.status])).toEqual([
      ['node-gpu', 'skipped'],
      ['node', 'skipped'],
      ['webgpu', 'skipped'],
      ['wasm', 'active'],
      ['cpu', 'not tried'],
    ]);
    for (const x of r.reasons.slice(0, 2)) expect(x.detail).toMatch(/optional dependency.*libtensorflow.*wasm/);
    // No GPU here: no Vulkan loader, no adapter, or only a software one (chromium's SwiftShader).
    expect(r.reasons[2]!.detail).toMatch(/Vulkan loader|no WebGPU adapter|software adapter/);
    expect(r.adapter).toBeUndefined();
    expect(typeof r.simd).toBe('boolean');
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(convFilterGradSum()).not.toBeNaN();
  });

  it('returns the same report when called again', async () => {
    vi.stubEnv('HOMEGROWN_BACKEND', '');
    expect(await initBackend()).toBe(await initBackend());
  });

  it('can be forced to cpu and back to wasm', async () => {
    const cpu = await initBackend({ force: 'cpu' });
    expect([cpu.active, tf.getBackend()]).toEqual(['cpu', 'cpu']);
    expect(cpu.reasons.filter((x) => x.status === 'not tried').map((x) => x.name)).toEqual(['node-gpu', 'node', 'webgpu', 'wasm']);
    const cpuGrad = convFilterGradSum();

    const wasm = await initBackend({ force: 'WASM' });
    expect([wasm.active, tf.getBackend()]).toEqual(['wasm', 'wasm']);
    expect(convFilterGradSum()).toBeCloseTo(cpuGrad, 4);
  });

  it('respects HOMEGROWN_BACKEND, with opts.force taking precedence', async () => {
    vi.stubEnv('HOMEGROWN_BACKEND', 'cpu');
    expect((await initBackend()).active).toBe('cpu');
    expect((await initBackend({ force: 'wasm' })).active).toBe('wasm');
  });

  it('rejects an unknown name with one line listing the valid ones', async () => {
    const err = await initBackend({ force: 'cuda' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/"cuda".*node-gpu, node, webgpu, wasm, cpu/);
    expect((err as Error).message).not.toContain('\n');
    vi.stubEnv('HOMEGROWN_BACKEND', 'gpu');
    await expect(initBackend()).rejects.toThrow(UserError);
  });

  it('forced to webgpu, starts on an adapter or says in one line why it cannot', async () => {
    const r = await initBackend({ force: 'webgpu' }).catch((e: unknown) => e);
    if (r instanceof Error) {
      expect(r).toBeInstanceOf(UserError);
      expect(r.message).toMatch(/^Backend "webgpu" cannot start \((no Vulkan loader|no WebGPU adapter|Dawn)/);
      expect(r.message).not.toContain('\n');
    } else {
      expect(r).toMatchObject({ active: 'webgpu', tfBackend: 'webgpu' });
      expect((r as { adapter?: unknown }).adapter).toBeDefined();
    }
  });

  it('explains why a forced backend cannot start', async () => {
    const err = await initBackend({ force: 'node' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/@tensorflow\/tfjs-node is not installed/);
  });
});

describe('describeBackend', () => {
  it('names the active backend and gives a line per rung', async () => {
    vi.stubEnv('HOMEGROWN_BACKEND', '');
    const text = describeBackend(await initBackend());
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Compute backend: wasm \(tfjs backend 'wasm'\) on CPU, \d threads?$/);
    expect(lines).toHaveLength(6);
    expect(text).toMatch(/node-gpu\s+skipped\s+@tensorflow\/tfjs-node-gpu is not installed/);
    expect(text).toMatch(/cpu\s+not tried/);
  });
});
