// Every API method name, IPC channel and image kind in one place (after electron/fiddle's
// src/ipc-events.ts). Free of zod so the sandboxed Electron preload can import it alone.

export const METHOD_NAMES = [
  'app.info',
  'app.pickFolder',
  'app.browseFolder',
  'datasets.list',
  'datasets.open',
  'datasets.setCaption',
  'datasets.remove',
  'runs.list',
  'runs.get',
  'runs.start',
  'runs.pause',
  'runs.resume',
  'runs.stop',
  'runs.delete',
  'runs.quality',
  'generate.start',
  'generate.plan',
  'gallery.query',
  'gallery.get',
  'gallery.rate',
  'gallery.favourite',
  'gallery.tag',
  'gallery.tags',
  'gallery.delete',
  'gallery.reveal',
  'gallery.similar',
  'prompts.history',
  'prompts.check',
  'prompts.complete',
  'presets.list',
  'presets.create',
  'presets.update',
  'presets.delete',
  'presets.import',
  'presets.export',
  'export.images',
  'export.sheet',
  'recipe.read',
  'runs.add',
  'runs.plan',
  'gallery.bulk',
  'gallery.trashCount',
  'gallery.emptyTrash',
  'gallery.restore',
  'export.preview',
  'datasets.setAside',
  'datasets.notDuplicates',
  'edit.describe',
  'edit.start',
  'walk.start',
  'motion.animate',
  'motion.inbetween',
  'sequence.export',
  'sequence.fps',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && (METHOD_NAMES as readonly string[]).includes(value);
}

/** Electron IPC channels: calls are `invoke(CALL, method, input)`; events arrive on EVENT. */
export const IPC_CHANNELS = {
  call: 'homegrown:call',
  event: 'homegrown:event',
} as const;

/** What an image id refers to: a dataset image (served as a thumbnail), a run's sample sheet, a generation. */
export const IMAGE_KINDS = ['dataset', 'sheet', 'generation'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export const HTTP = {
  /** POST `${api}/${method}` with the JSON input as body. */
  api: '/api',
  /** GET Server-Sent Events, one `data:` line of JSON (an ApiEvent) per message. */
  events: '/api/events',
  /** GET `${image}/${kind}/${id}`. */
  image: '/api/image',
  /** Query parameter and cookie that carry the token (see README.md). */
  tokenParam: 'token',
  tokenCookie: 'homegrown_token',
} as const;

/** Web mode image URL (add `?token=` only where a cookie cannot be used). */
export function imagePath(kind: ImageKind, id: number): string {
  return `${HTTP.image}/${kind}/${id}`;
}

/** Electron image URL, served by the custom protocol. */
export function imageProtocolUrl(kind: ImageKind, id: number): string {
  return `homegrown://image/${kind}/${id}`;
}
