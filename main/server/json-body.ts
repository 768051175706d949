// JSON request bodies with bounded nesting. V8's JSON.parse takes seconds and hundreds of MB on a
// body of a few MB nested millions deep, and holds the server meanwhile; no API input nests more
// than a few levels, so a body nested deeper is refused by a linear scan before it is parsed.
import type { FastifyInstance } from 'fastify';
import { MAX_RECIPE_IMAGE_BYTES } from '#shared/api/recipe';

export const MAX_JSON_DEPTH = 64;
/** The largest input is a recipe image as base64; the rest of a request is small. */
export const BODY_LIMIT = Math.ceil(MAX_RECIPE_IMAGE_BYTES / 3) * 4 + 64 * 1024;

/** True when `text` opens more than `max` arrays or objects inside each other (strings skipped). */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Replaces the JSON body parser by Fastify's own behind the nesting check. */
export function boundJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (nestsDeeperThan(text)) {
      done(Object.assign(new Error(`The request body nests more than ${MAX_JSON_DEPTH} levels deep.`), { statusCode: 400 }), undefined);
      return;
    }
    parse(request, text, done);
  });
}
