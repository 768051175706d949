import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, METHOD_NAMES } from '#shared/api/names';
import { buildExposedApi } from '#main/electron/preload-api';
import type { IpcResult } from '#main/electron/ipc';

function fakeBridge(result: IpcResult) {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const api = buildExposedApi(
    async (...args) => {
      invoked.push(args);
      return result;
    },
    (channel, listener) => {
      listeners.set(channel, listener);
      return () => listeners.delete(channel);
    },
    (file) => `/dropped/${file.name}`,
  );
  return { api, invoked, listeners };
}

describe('window.homegrown', () => {
  it('exposes exactly the named API calls and onEvent, frozen', () => {
    const { api } = fakeBridge({ ok: true, value: 1 });
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "app.browseFolder",
        "app.info",
        "app.pickFolder",
        "datasets.list",
        "datasets.notDuplicates",
        "datasets.open",
        "datasets.remove",
        "datasets.setAside",
        "datasets.setCaption",
        "edit.describe",
        "edit.start",
        "export.images",
        "export.preview",
        "export.sheet",
        "gallery.bulk",
        "gallery.delete",
        "gallery.emptyTrash",
        "gallery.favourite",
        "gallery.get",
        "gallery.query",
        "gallery.rate",
        "gallery.restore",
        "gallery.reveal",
        "gallery.similar",
        "gallery.tag",
        "gallery.tags",
        "gallery.trashCount",
        "generate.plan",
        "generate.start",
        "motion.animate",
        "motion.inbetween",
        "onEvent",
        "pathForFile",
        "presets.create",
        "presets.delete",
        "presets.export",
        "presets.import",
        "presets.list",
        "presets.update",
        "prompts.check",
        "prompts.complete",
        "prompts.history",
        "recipe.read",
        "runs.add",
        "runs.delete",
        "runs.get",
        "runs.list",
        "runs.pause",
        "runs.plan",
        "runs.quality",
        "runs.resume",
        "runs.start",
        "runs.stop",
        "sequence.export",
        "sequence.fps",
        "walk.start",
      ]
    `);
    expect(Object.keys(api)).toHaveLength(METHOD_NAMES.length + 2);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
  });

  it('invokes the one call channel with (method, input) and throws the error body on failure', async () => {
    const ok = fakeBridge({ ok: true, value: { version: '1' } });
    expect(await ok.api['app.info']()).toEqual({ version: '1' });
    expect(ok.invoked).toEqual([[IPC_CHANNELS.call, 'app.info', {}]]);
    const bad = fakeBridge({ ok: false, error: { code: 'not-found', message: 'There is no run 3' } });
    await expect(bad.api['runs.get']({ id: 3 })).rejects.toMatchObject({ code: 'not-found', message: 'There is no run 3' });
  });

  it('gives the path of a dropped file', () => {
    const { api } = fakeBridge({ ok: true, value: null });
    expect(api.pathForFile(new File([], 'shapes'))).toBe('/dropped/shapes');
  });

  it('hands event listeners the payload only, and unsubscribes', () => {
    const { api, listeners } = fakeBridge({ ok: true, value: null });
    const got: unknown[] = [];
    const off = api.onEvent((e) => got.push(e));
    listeners.get(IPC_CHANNELS.event)!({ type: 'run.state' });
    expect(got).toEqual([{ type: 'run.state' }]);
    off();
    expect(listeners.has(IPC_CHANNELS.event)).toBe(false);
  });
});
