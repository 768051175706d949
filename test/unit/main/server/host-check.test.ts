// Which Host headers name this server: loopback names, the bound address, allowed names; nothing else.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHosts, hostOf } from '#main/server/host-check';

describe('host names', () => {
  it('reads the name from a Host header without port or brackets, refusing malformed ones', () => {
    expect(hostOf('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostOf('LocalHost')).toBe('localhost');
    expect(hostOf('[::1]:80')).toBe('::1');
    for (const bad of [undefined, '', 'a@localhost', 'localhost/x', 'local host', 'localhost:99999'])
      expect(hostOf(bad), String(bad)).toBeNull();
  });

  it('allows the loopback names, the bound address and extra names only', () => {
    const hosts = allowedHosts('192.168.1.5', ['Studio.local']);
    expect([...hosts].sort()).toEqual(['127.0.0.1', '192.168.1.5', '::1', 'localhost', 'studio.local']);
  });

  it("allows the machine's own addresses when bound to all of them", () => {
    const own = Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address));
    const hosts = allowedHosts('0.0.0.0');
    for (const address of own) expect(hosts.has(address), address).toBe(true);
    expect(hosts.has('evil.example')).toBe(false);
  });
});
