// Everything the pages share: the API, the connection state and one state object per page, created
// once so that switching pages keeps what each was showing.
import type { Api } from './api/client';
import type { AppInfoT } from './api/types';
import { Connection } from './state/connection.svelte';
import { DatasetsState } from './state/datasets.svelte';
import { GalleryState } from './state/gallery.svelte';
import { GenerateState } from './state/generate.svelte';
import { HistoryState } from './state/history.svelte';
import { AnimateState, EditState, WalkState } from './state/motion.svelte';
import { PresetsState } from './state/presets.svelte';
import { TrainingState } from './state/training.svelte';

/** What transparent pixels show on: a checkerboard (default), or a plain dark or light colour. */
export const IMAGE_BACKGROUNDS = ['checker', 'dark', 'light'] as const;
export type ImageBackground = (typeof IMAGE_BACKGROUNDS)[number];
const BACKGROUND_KEY = 'homegrown.imageBackground';
const storage = (): Storage | undefined => (globalThis as { localStorage?: Storage }).localStorage;

export const PAGES = ['datasets', 'train', 'generate', 'gallery', 'history', 'presets', 'edit', 'walk', 'animate'] as const;
export type Page = (typeof PAGES)[number];

export class AppState {
  page = $state<Page>('datasets');
  info = $state<AppInfoT | null>(null);
  imageBackground = $state<ImageBackground>('checker');
  readonly connection: Connection;
  readonly datasets: DatasetsState;
  readonly training: TrainingState;
  readonly generate: GenerateState;
  readonly gallery: GalleryState;
  readonly history: HistoryState;
  readonly presets: PresetsState;
  readonly edit: EditState;
  readonly walk: WalkState;
  readonly animate: AnimateState;

  constructor(readonly api: Api) {
    this.connection = new Connection(api);
    this.datasets = new DatasetsState(api);
    this.training = new TrainingState(api);
    this.generate = new GenerateState(api);
    this.gallery = new GalleryState(api);
    this.history = new HistoryState(api);
    this.presets = new PresetsState(api);
    this.edit = new EditState(api);
    this.walk = new WalkState(api);
    this.animate = new AnimateState(api);
    const saved = storage()?.getItem(BACKGROUND_KEY);
    this.setImageBackground((IMAGE_BACKGROUNDS as readonly string[]).includes(saved ?? '') ? (saved as ImageBackground) : 'checker');
  }

  /** Applies the background to every image of the app (a CSS variable on the root) and remembers it. */
  setImageBackground(background: ImageBackground): void {
    this.imageBackground = background;
    const root = (globalThis as { document?: Document }).document?.documentElement;
    if (root) root.dataset.imageBg = background;
    storage()?.setItem(BACKGROUND_KEY, background);
  }

  go(page: Page): void {
    this.page = page;
  }
}

export function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'datasets';
}
