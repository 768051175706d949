// The renderer's Content-Security-Policy, sent as a header by both shells (Electron's app protocol and the
// web-mode server): our own scripts and styles only, images also from our image protocol and blobs, no
// plugins, no framing, no form posts. `homegrown:` is inert in a browser.
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' homegrown: data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
