import { describe, expect, it } from 'vitest';
import { Connection } from '../../../../../renderer/lib/state/connection.svelte';
import { fakeApi } from '#test/unit/renderer/fake-api';

describe('Connection', () => {
  it('shows a banner while the stream is lost and counts each recovery', () => {
    const f = fakeApi({});
    const c = new Connection(f.api);
    expect(c.state).toBe('open');
    expect(c.banner).toBeNull();
    f.setState('lost');
    expect(c.banner).toMatch(/lost — reconnecting/);
    f.setState('open');
    expect(c.banner).toBeNull();
    expect(c.reconnects).toBe(1);
    f.setState('open');
    expect(c.reconnects).toBe(1);
  });
});
