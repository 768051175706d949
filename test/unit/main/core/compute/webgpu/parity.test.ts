// WebGPU against the cpu and wasm backends on chromium's SwiftShader driver (a CPU emulation of a GPU:
// correct, slow). Each part runs in a child process started with the driver in its environment.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { swiftShaderEnv } from '#test/fixtures/swiftshader';

const PROBE = path.resolve('test/fixtures/webgpu-probe.ts');
/**
 * Loss difference allowed per step, relative to max(1, |loss|). Measured on SwiftShader at 16 px: GAN
 * within 2.5e-5 over 10 steps, vae, ae and flow within 5.1e-6; 1e-4 leaves room for other drivers' sums.
 */
const TOLERANCE = 1e-4;
/** Bytes per channel that sampling may differ by between webgpu and wasm (measured: 1, in 1 byte of 21,504). */
const SAMPLE_TOLERANCE = 1;
const CLI = path.resolve('bin/homegrown.js');
const sw = swiftShaderEnv();
const env = 'env' in sw ? sw.env : undefined;

async function run(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { env, timeout: 3_600_000, maxBuffer: 1 << 24 });
  return stdout;
}
const probe = async (mode: string) => JSON.parse((await run(['--import', 'tsx', PROBE, mode])).trim().split('\n').pop()!);

describe.skipIf(!env)(`webgpu on SwiftShader${'absent' in sw ? ` (skipped: ${sw.absent})` : ''}`, () => {
  it('the ladder skips the software adapter, and --backend webgpu forces it, naming it', async () => {
    const auto = JSON.parse(await run([CLI, 'info', '--json']));
    const rung = auto.reasons.find((r: { name: string }) => r.name === 'webgpu');
    expect(rung).toMatchObject({ status: 'skipped' });
    expect(rung.detail).toMatch(/SwiftShader.*software adapter.*--backend webgpu/);
    expect(auto.active).toBe('wasm');

    const forced = JSON.parse(await run([CLI, 'info', '--json', '--backend', 'webgpu']));
    expect(forced).toMatchObject({
      active: 'webgpu',
      tfBackend: 'webgpu',
      adapter: { vendor: 'google', architecture: 'swiftshader', software: true },
    });
    expect(forced.adapter.description).toMatch(/SwiftShader/);
    const text = await run([CLI, 'info', '--backend', 'webgpu']);
    expect(text).toMatch(/Compute backend: webgpu .* on SwiftShader driver [\d.]+ \(google swiftshader\), software\n/);
  }, 600_000);

  it('every op the models use matches the cpu backend, forward and gradients, to 1e-4', async () => {
    const errors: Record<string, number[]> = await probe('ops');
    expect(Object.keys(errors).length).toBeGreaterThanOrEqual(20);
    for (const [op, errs] of Object.entries(errors)) {
      for (const e of errs) expect(e, op).toBeLessThan(1e-4);
    }
  }, 300_000);

  it('10 steps of gan, vae and ae (3 of flow) at 16 px match wasm from one seed, with tf.memory() flat', async () => {
    type Run = {
      wasm: Record<string, number>[];
      webgpu: Record<string, number>[];
      memory: { numTensors: number; numBytes: number; numBytesInGPU: number }[];
    };
    const runs: Record<string, Run> = await probe('train');
    expect(Object.keys(runs)).toEqual(['gan', 'vae', 'ae', 'flow']);
    for (const [model, r] of Object.entries(runs)) {
      expect(r.webgpu).toHaveLength(model === 'flow' ? 3 : 10);
      r.webgpu.forEach((losses, step) => {
        for (const [k, v] of Object.entries(losses)) {
          const want = r.wasm[step]![k];
          // Float sums in another order drift apart step by step; TOLERANCE says how far.
          expect(Math.abs(v - want!), `${model} step ${step + 1} loss ${k}: webgpu ${v}, wasm ${want}`).toBeLessThanOrEqual(
            TOLERANCE * Math.max(1, Math.abs(want!)),
          );
        }
      });
      // After the warm-up steps, every step must end with the tensors and GPU bytes the one before it did.
      const [third, last] = [r.memory[Math.min(2, r.memory.length - 2)], r.memory.at(-1)!];
      expect(last.numTensors, model).toBe(third!.numTensors);
      expect(last.numBytes, model).toBe(third!.numBytes);
      expect(last.numBytesInGPU, model).toBe(third!.numBytesInGPU);
    }
  }, 3_600_000);

  it('a checkpoint written on webgpu resumes on wasm, and the other way, bit for bit', async () => {
    const r = await probe('checkpoint');
    for (const way of [r.webgpuToWasm, r.wasmToWebgpu]) {
      expect(way.tensors).toBe(way.expected);
      expect(way.maxDiff).toBe(0);
      expect(way.step).toBe(2);
      for (const v of Object.values(way.next)) expect(Number.isFinite(v)).toBe(true);
    }
    expect([r.webgpuToWasm.backend, r.wasmToWebgpu.backend]).toEqual(['webgpu', 'wasm']);
  }, 300_000);

  it('sampling on webgpu gives the bytes wasm gives, within 1 per channel, RGB and RGBA, tiled or not', async () => {
    type Diff = { images: number; bytes: number; maxDiff: number; differing: number };
    const r: Record<string, Diff> = await probe('sample');
    expect(Object.keys(r)).toEqual(['gan', 'vae']);
    expect(r.gan).toMatchObject({ images: 7, bytes: 7 * 32 * 32 * 3 });
    expect(r.vae).toMatchObject({ images: 5, bytes: 5 * 32 * 32 * 4 });
    for (const [model, d] of Object.entries(r)) {
      // A value on a rounding edge may round the other way; more than that would be a wrong kernel.
      expect(d.maxDiff, model).toBeLessThanOrEqual(SAMPLE_TOLERANCE);
      expect(d.differing / d.bytes, model).toBeLessThan(0.01);
    }
  }, 600_000);

  it('out of GPU memory stops the run in one line naming its checkpoint; a lost device goes on with wasm from it', async () => {
    const r = await probe('faults');
    expect(r.memory.fired).toBe(true);
    expect(r.memory.error.name).toBe('UserError');
    expect(r.memory.error.message).toBe(
      'The GPU ran out of memory: lower the batch size or the image size, or train on wasm. Training stopped; its last checkpoint is step-00000001',
    );
    expect(r.memory.checkpoints).toEqual(['step-00000001']);

    expect(r.lost.fired).toBe(true);
    expect(r.lost.lines).toHaveLength(1);
    expect(r.lost.lines[0]).toMatch(
      /^wasm: The GPU stopped answering \(WebGPU device lost.*\); training goes on with wasm from its last checkpoint, step-00000001$/,
    );
    expect(r.lost).toMatchObject({ step: 3, backend: 'wasm', tfBackend: 'wasm', lastBackend: 'wasm' });
    expect(r.lost.checkpoints).toEqual(['step-00000001', 'step-00000002', 'step-00000003']);
  }, 600_000);
});
