// Recipes inside PNG files: an A1111-compatible `parameters` text chunk and a `homegrown` JSON
// chunk. Latin-1 text goes in tEXt and anything else in iTXt (UTF-8), as Pillow does for A1111.
import extract from 'png-chunks-extract';
import encode from 'png-chunks-encode';
import text from 'png-chunk-text';
import { decodeSync as decodeItxt, encodeSync as encodeItxt } from 'png-chunk-itxt';
import { a1111Parameters, type Recipe } from '#shared/recipe';

type Chunk = { name: string; data: Uint8Array };

const isLatin1 = (s: string) => /^[\u0000-\u00ff]*$/u.test(s);

function textChunk(keyword: string, value: string): Chunk {
  if (isLatin1(value)) return text.encode(keyword, value);
  return {
    name: 'iTXt',
    data: encodeItxt({ keyword, compressionFlag: false, compressionMethod: 0, languageTag: '', translatedKeyword: '', text: value }),
  };
}

/** Returns a copy of the PNG with the recipe chunks placed before the image data. */
export function embedRecipe(png: Uint8Array, recipe: Recipe): Buffer {
  const chunks = extract(png).filter((c) => !readText(c, 'parameters') && !readText(c, 'homegrown'));
  const at = chunks.findIndex((c) => c.name === 'IDAT');
  chunks.splice(at, 0, textChunk('parameters', a1111Parameters(recipe)), textChunk('homegrown', JSON.stringify(recipe)));
  return Buffer.from(encode(chunks));
}

function readText(c: Chunk, keyword: string): string | undefined {
  if (c.name === 'tEXt') {
    const t = text.decode(c.data);
    return t.keyword === keyword ? t.text : undefined;
  }
  if (c.name === 'iTXt') {
    const t = decodeItxt(c.data);
    return t.keyword === keyword ? t.text : undefined;
  }
  return undefined;
}

export function readRecipe(png: Uint8Array): { parameters?: string; recipe?: Recipe } {
  const out: { parameters?: string; recipe?: Recipe } = {};
  for (const c of extract(png)) {
    out.parameters ??= readText(c, 'parameters');
    const json = readText(c, 'homegrown');
    if (json) out.recipe = JSON.parse(json) as Recipe;
  }
  return out;
}
