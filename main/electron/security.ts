// The window's security settings as plain data and small functions over minimal Electron-shaped
// interfaces, so tests can check them with fakes (docs/reliability.md promises 1, 3 and 4).

/** Every window: isolated, sandboxed, no Node, no webviews. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
} as const;

/** The renderer's origin: it is served by our own protocol, never from the network or file://. */
export const APP_ORIGIN = 'homegrown://app';
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

export { CSP } from '#shared/csp';

/** Links that may open in the user's browser: https only, on these hosts. */
export const EXTERNAL_HOSTS = ['github.com', 'openmoji.org'] as const;

export function isAllowedExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    (EXTERNAL_HOSTS as readonly string[]).includes(parsed.hostname)
  );
}

export function isAppUrl(url: string | undefined): boolean {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of WebContents the hardening uses. */
export interface ContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent, url: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** Denies navigation away from the app and every new window; allowed https links go to the browser. */
export function hardenContents(contents: ContentsLike, openExternal: (url: string) => unknown): void {
  const stay = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

/** Camera, microphone, notifications, geolocation …: the app needs none, so every request is denied. */
export function denyPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
