import { describe, expect, it, vi } from 'vitest';
import { CSP, denyPermissions, hardenContents, isAllowedExternal, WEB_PREFERENCES, type ContentsLike } from '#main/electron/security';

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents: ContentsLike = {
    on: (event, listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler) => (openHandler = handler),
  };
  const fire = (event: string, url: string) => {
    const e = { preventDefault: vi.fn() };
    listeners.get(event)!(e, url);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('window security', () => {
  it('isolates and sandboxes every window, without Node', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
  });

  it('has a strict CSP', () => {
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
      expect(CSP).toContain(directive);
    expect(CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('denies navigation away from the app, webviews, and every new window', () => {
    const opened: string[] = [];
    const { contents, fire, open } = fakeContents();
    hardenContents(contents, (url) => opened.push(url));
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-navigate', 'homegrown://app.evil/')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(fire('will-navigate', 'homegrown://app/index.html#/gallery')).toBe(false);
    expect(fire('will-attach-webview', 'homegrown://app/')).toBe(true);
    expect(open('https://github.com/homegrown')).toEqual({ action: 'deny' });
    expect(open('http://github.com/')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/homegrown']);
  });

  it('opens only https links on the allow-list in the browser', () => {
    expect(isAllowedExternal('https://github.com/x')).toBe(true);
    expect(isAllowedExternal('https://openmoji.org/')).toBe(true);
    for (const url of [
      'http://github.com/',
      'https://github.com.evil.io/',
      'https://user@github.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      'https://evil.example/',
    ]) {
      expect(isAllowedExternal(url), url).toBe(false);
    }
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      request!({}, permission, (granted) => answers.push(granted));
      expect(answers).toEqual([false]);
    }
    expect(check!()).toBe(false);
  });
});
