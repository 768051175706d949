// A training job on webgpu (chromium's SwiftShader driver) whose device is lost after its first
// checkpoint goes on with wasm from it, and the run's row names wasm. The fault is injected where tfjs
// runs GPU programs (test/fixtures/gpu-fault.ts); the training, the job and the store are real.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunManager } from '#core/jobs/run-manager';
import { nodeSpawner } from '#core/jobs/spawner';
import { Store } from '#core/store/index';
import { shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';
import { swiftShaderEnv } from '#test/fixtures/swiftshader';

const sw = swiftShaderEnv();
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

describe.skipIf(!('env' in sw))(`a training job whose GPU is lost${'absent' in sw ? ` (skipped: ${sw.absent})` : ''}`, () => {
  it('goes on with wasm from its last checkpoint, says so in one line, and the run row names wasm', async () => {
    // Dawn finds the driver through the environment the job process starts with.
    if ('env' in sw) Object.assign(process.env, sw.env);
    const home = await tempDir('hg-gpu-lost-');
    const store = Store.open({ home });
    stores.push(store);
    const dataset = await shapesFolder(path.join(home, 'shapes'));
    const manager = new RunManager({
      store,
      emit: () => {},
      spawn: nodeSpawner(),
      worker: fileURLToPath(new URL('../../../../fixtures/gpu-fault-worker.ts', import.meta.url)),
      backend: 'webgpu',
    });
    const run = store.runs.create({ model: 'gan', config: { size: 16, steps: 3 } });
    const config = { ...TINY_RUN, size: 16, steps: 3, sampleEvery: 1, checkpointEvery: 1 };
    await manager.start(run.id, { type: 'start', dataset, out: manager.runFiles.parent(run.id), config }, 3);
    while (manager.isLive(run.id)) await new Promise((r) => setTimeout(r, 200));
    const log = await manager.runFiles.log(run.id);
    expect(store.runs.get(run.id), log.join('\n')).toMatchObject({ status: 'completed', backend: 'wasm' });
    expect(log).toContain('training on 16 images with webgpu, from step 0 to 3');
    const fallback = log.filter((l) => l.includes('training goes on with wasm'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toMatch(
      /^The GPU stopped answering \(WebGPU device lost.*\); training goes on with wasm from its last checkpoint, step-0000000[12]$/,
    );
    expect(store.runs.checkpoints(run.id).map((c) => c.step)).toContain(3);
  }, 900_000);
});
