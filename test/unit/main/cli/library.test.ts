// A command opens the app's library beside a running app: it must not take the app's live runs for
// ones a closed app left behind (only the app itself, when it starts, marks those interrupted).
import { describe, expect, it } from 'vitest';
import { AppService } from '#core/service/index';
import { withService } from '#main/cli/library';
import { tempDir } from '#test/fixtures/app-service';

describe('the library from the command line', () => {
  it('leaves a run the app is training as it is; the app starting again marks it interrupted', async () => {
    const home = await tempDir('hg-cli-library-');
    const app = await AppService.open({ home, backend: 'wasm' });
    const run = app.store.runs.create({ model: 'gan', config: { size: 32 } });
    app.store.runs.setStatus(run.id, 'running');
    const listed = await withService(home, (call) => call('runs.list', {}));
    expect(listed.map((r) => [r.id, r.state])).toEqual([[run.id, 'running']]);
    expect(app.store.runs.get(run.id)!.status).toBe('running');
    await app.close();

    const restarted = await AppService.open({ home, backend: 'wasm' });
    try {
      expect(restarted.store.runs.get(run.id)!.status).toBe('interrupted');
    } finally {
      await restarted.close();
    }
  });
});
