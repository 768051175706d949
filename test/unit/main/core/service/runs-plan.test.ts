// runs.plan and runs.start: the dataset's defaults under the preset and the request's own fields, a
// time estimate from steps measured on this machine, and a minutes budget that ends with a checkpoint.
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, type ApiEvent } from '#shared/api/index';
import { AppService } from '#core/service/index';
import { checkedCall, isEvent, nextEvent, recordingSpawner, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let home: string;
let service: AppService;
let datasetId: number;

const call = <M extends keyof typeof API>(method: M, input: unknown) => checkedCall(service, method, input);

beforeAll(async () => {
  home = await tempDir('hg-plan-');
  const data = await shapesFolder(await tempDir('hg-plan-data-'));
  service = await AppService.open({ home, spawn: recordingSpawner().spawn, backend: 'wasm' });
  datasetId = (await call('datasets.open', { folder: data })).dataset.id;
}, 60_000);
afterAll(async () => {
  await service.close();
  await fs.rm(home, { recursive: true, force: true });
});

describe('runs.plan', () => {
  it('chooses from the dataset, says why, and estimates the time from measured steps', async () => {
    const plan = await call('runs.plan', { datasetId, config: TINY_RUN });
    expect(plan.facts).toEqual({ count: 16, nativeSize: 32, transparency: false, pixelArt: expect.any(Boolean) });
    expect(plan.config).toMatchObject({ model: 'vae', size: 32, channels: 4, keepCheckpoints: 20 });
    expect(plan.reasons.join('\n')).toMatch(/VAE: 16 images are too few/);
    expect(plan.stepMs).toBeGreaterThan(0);
    expect(plan.usefulMinutes).toBeCloseTo((plan.usefulSteps * plan.stepMs) / 60_000, 6);
    expect(plan.plannedSteps).toBe(plan.config.steps);
  }, 60_000);

  it('a preset applies: its size and steps win over the dataset, the request over both', async () => {
    const preset = await call('runs.plan', { datasetId, preset: 'icons64', config: TINY_RUN });
    expect(preset.config).toMatchObject({ size: 64, steps: 6000 });
    expect(preset.reasons.join('\n')).not.toMatch(/px/);
    const asked = await call('runs.plan', { datasetId, preset: 'icons64', size: 40, model: 'gan', config: TINY_RUN });
    expect(asked.config).toMatchObject({ model: 'gan', size: 40, steps: 6000 });
    expect(asked.reasons.join('\n')).not.toMatch(/VAE|GAN/);
  }, 120_000);

  it('with minutes, plans as many steps as fit', async () => {
    const plan = await call('runs.plan', { datasetId, minutes: 2, config: TINY_RUN });
    expect(plan.plannedMinutes).toBe(2);
    expect(plan.plannedSteps).toBe(Math.floor(120_000 / plan.stepMs));
  }, 60_000);
});

describe('runs.start with minutes', () => {
  it('trains until the budget is spent and ends with a checkpoint', async () => {
    const done = nextEvent(
      (l: (e: ApiEvent) => void) => service.subscribe(l),
      isEvent('run.state', (e) => e.state !== 'running' && e.state !== 'pending'),
      120_000,
    );
    const run = await call('runs.start', { datasetId, minutes: 0.1, config: { ...TINY_RUN, checkpointEvery: 100000 } });
    expect(run.model).toBe('vae');
    expect(await done).toMatchObject({ runId: run.id, state: 'done' });
    const detail = await call('runs.get', { id: run.id });
    expect(detail.checkpoints.length).toBe(1);
    expect(detail.checkpoints[0]!.step).toBeGreaterThan(0);
  }, 150_000);
});
