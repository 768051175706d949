// The IPC bridge with a fake ipcMain and fake windows in front of a real service (real store, real
// training job): sender and channel checks, schema rejection without side effects, and a crashed
// training job reported as an error event while the window's calls keep working.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '#shared/api/names';
import { AppService } from '#core/service/index';
import { IpcBridge, type IpcEventLike, type IpcMainLike, type IpcResult } from '#main/electron/ipc';
import { isEvent, nextEvent, recordingSpawner, shapesFolder, tempDir, TINY_RUN } from '#test/fixtures/app-service';

let service: AppService;
let bridge: IpcBridge;
const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<IpcResult>>();
const fakeIpcMain: IpcMainLike = { handle: (channel, listener) => handlers.set(channel, listener) };
const spawner = recordingSpawner();
const WINDOW = 7;
const fromWindow: IpcEventLike = { sender: { id: WINDOW }, senderFrame: { url: 'homegrown://app/index.html' } };
const invoke = (event: IpcEventLike, ...args: unknown[]) => handlers.get(IPC_CHANNELS.call)!(event, ...args);

beforeAll(async () => {
  service = await AppService.open({ home: await tempDir('hg-ipc-home-'), spawn: spawner.spawn, backend: 'wasm', mode: 'electron' });
  bridge = new IpcBridge(service);
  bridge.register(fakeIpcMain);
  bridge.addWindow(WINDOW);
});

afterAll(async () => {
  await service?.close();
});

describe('IPC bridge', () => {
  it('registers only the call channel and answers our window', async () => {
    expect([...handlers.keys()]).toEqual([IPC_CHANNELS.call]);
    expect(await invoke(fromWindow, 'app.info', {})).toMatchObject({ ok: true, value: { mode: 'electron' } });
  });

  it('rejects unknown senders: another webContents, a foreign page in our window, a frame-less event', async () => {
    for (const event of [
      { sender: { id: 99 }, senderFrame: { url: 'homegrown://app/index.html' } },
      { sender: { id: WINDOW }, senderFrame: { url: 'https://evil.example/' } },
      { sender: { id: WINDOW }, senderFrame: { url: 'homegrown://app.evil/index.html' } },
      { sender: { id: WINDOW }, senderFrame: null },
    ]) {
      expect(await invoke(event, 'presets.create', { name: 'sneaky', positive: '' })).toEqual({
        ok: false,
        error: { code: 'unauthorized', message: 'This IPC message does not come from the app window' },
      });
    }
    expect(await service.call('presets.list', {})).toEqual([]);
  });

  it('rejects unknown channels, unknown methods and malformed envelopes', async () => {
    expect(await bridge.handle('homegrown:shell', fromWindow, ['rm -rf /'])).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await invoke(fromWindow, 'constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await invoke(fromWindow, { method: 'app.info' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await invoke(fromWindow, 'app.info', {}, 'extra')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('rejects a payload that fails its schema with an error and changes nothing', async () => {
    const bad = await invoke(fromWindow, 'presets.create', { name: 'ink', positive: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', issues: [expect.stringMatching(/^positive:/)] } });
    const extra = await invoke(fromWindow, 'presets.create', { name: 'ink', positive: '', admin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await invoke(fromWindow, 'presets.import', { format: 'csv', text: 'name,prompt\nok,fine\n', replace: 'yes' })).toMatchObject({
      ok: false,
    });
    expect(await service.call('presets.list', {})).toEqual([]);
  });

  it('reports a crashed training job as an error event to the window, and the window keeps working', async () => {
    const sent: { channel: string; payload: { type: string } }[] = [];
    // What main.ts does for its window.
    service.subscribe((event) => sent.push({ channel: IPC_CHANNELS.event, payload: event }));
    const data = await shapesFolder(path.join(await tempDir('hg-ipc-data-'), 'shapes'));
    const opened = await invoke(fromWindow, 'datasets.open', { folder: data });
    const datasetId = (opened as { value: { dataset: { id: number } } }).value.dataset.id;
    const stepped = nextEvent((l) => service.subscribe(l), isEvent('run.progress'));
    const started = await invoke(fromWindow, 'runs.start', { datasetId, model: 'gan', size: 32, steps: 5000, config: TINY_RUN });
    expect(started).toMatchObject({ ok: true, value: { state: 'running' } });
    await stepped;
    const failed = nextEvent((l) => service.subscribe(l), isEvent('job.error'));
    spawner.jobs.at(-1)!.kill('SIGKILL');
    expect((await failed).error.message).toMatch(/training process was killed/);
    expect(sent.map((s) => s.payload.type)).toEqual(expect.arrayContaining(['run.state', 'run.progress', 'job.error']));
    expect(await invoke(fromWindow, 'runs.list', {})).toMatchObject({ ok: true, value: [{ state: 'failed' }] });
  });
});
