// The web mode's token: random per start (printed as a Jupyter-style URL), required on every /api
// request as a Bearer header, the cookie set by the landing URL, or a `token` query parameter.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HTTP } from '#shared/api/names';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request carries, by header, cookie or query parameter (first found). */
export function tokenOf(headers: { authorization?: string; cookie?: string }, query: URLSearchParams): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/iu.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer;
  for (const part of (headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === HTTP.tokenCookie) return decodeURIComponent(value.join('='));
  }
  return query.get(HTTP.tokenParam) ?? undefined;
}

export function tokenCookie(token: string): string {
  return `${HTTP.tokenCookie}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
