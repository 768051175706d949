// A recipe inside any exported image: PNG through its text chunks (png-meta), WebP and JPEG through an
// XMP packet that sharp writes and reads. The packet holds the A1111 `parameters` text as
// dc:description (shown by photo managers and exiftool) and the full recipe JSON as homegrown:recipe.
import sharp, { type Sharp } from 'sharp';
import { a1111Parameters, type Recipe } from '#shared/recipe';
import { embedRecipe, readRecipe } from './png-meta';

export type ImageFormat = 'png' | 'webp' | 'jpeg';

/** A recipe as exported: the generation it came from travels with it when known. */
export type ExportedRecipe = Recipe & { generationId?: number };

export interface FoundRecipe {
  parameters?: string;
  recipe?: ExportedRecipe;
}

const NS = 'https://github.com/homegrown/ns/recipe/1.0/';

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const unescapeXml = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#x?[0-9a-f]+);/giu, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (e in named) return named[e]!;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });

export function recipeXmp(recipe: ExportedRecipe): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:homegrown="${NS}">`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(a1111Parameters(recipe))}</rdf:li></rdf:Alt></dc:description>`,
    `<homegrown:recipe>${escapeXml(JSON.stringify(recipe))}</homegrown:recipe>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

/** Reads back what recipeXmp wrote (our own two elements, not general XMP). */
export function readRecipeXmp(xmp: string): FoundRecipe {
  const out: FoundRecipe = {};
  const params = /<dc:description>\s*<rdf:Alt>\s*<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/u.exec(xmp);
  if (params) out.parameters = unescapeXml(params[1]!);
  const json = /<homegrown:recipe>([\s\S]*?)<\/homegrown:recipe>/u.exec(xmp);
  if (json) out.recipe = JSON.parse(unescapeXml(json[1]!)) as ExportedRecipe;
  return out;
}

/**
 * Encodes `image` (any format sharp reads, or an already-sharp pipeline) in `format` with the recipe
 * inside. JPEG has no transparency, so transparent pixels are flattened onto white.
 */
export async function encodeWithRecipe(image: Uint8Array | Sharp, format: ImageFormat, recipe?: ExportedRecipe): Promise<Buffer> {
  const pipeline = image instanceof Uint8Array ? sharp(image) : image;
  if (format === 'png') {
    const png = await pipeline.png({ compressionLevel: 9 }).toBuffer();
    return recipe ? embedRecipe(png, recipe) : png;
  }
  const encoded = format === 'webp' ? pipeline.webp({ lossless: true }) : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: 92 });
  return (recipe ? encoded.withXmp(recipeXmp(recipe)) : encoded).toBuffer();
}

/** The recipe in a PNG, WebP or JPEG file; throws when the bytes are not an image sharp can read. */
export async function readImageRecipe(bytes: Uint8Array): Promise<FoundRecipe> {
  const { format, xmp } = await sharp(bytes).metadata();
  if (format === 'png') return readRecipe(bytes);
  return xmp ? readRecipeXmp(xmp.toString('utf8')) : {};
}
