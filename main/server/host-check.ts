// DNS rebinding: a page on evil.example can re-point its own name at 127.0.0.1 and then talk to this
// server as a same-origin site. The browser still sends `Host: evil.example`, so only requests whose
// Host names this machine as the user reached it are served: the loopback names, the address the
// server was bound to, the machine's own addresses when it listens on all of them, and any name the
// user allowed. An IP address in Host cannot be rebound, but a name can, so names must be allowed.
import os from 'node:os';

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const ANY_ADDRESS = ['0.0.0.0', '::'];

/** The host names (no port, IPv6 without brackets, lower case) a server bound to `bound` answers to. */
export function allowedHosts(bound: string, extra: readonly string[] = []): Set<string> {
  const names = [...LOOPBACK, bound, ...extra];
  if (ANY_ADDRESS.includes(bound)) {
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) names.push(a.address);
  }
  return new Set(names.map((n) => bare(n.trim().toLowerCase())));
}

/** The host name a Host header gives (no port, no brackets), or null when it is missing or malformed. */
export function hostOf(header: string | undefined): string | null {
  if (!header) return null;
  try {
    const url = new URL(`http://${header}`);
    if (url.host !== header.toLowerCase() && `${url.host}:80` !== header.toLowerCase()) return null;
    return bare(url.hostname);
  } catch {
    return null;
  }
}

function bare(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}
