// The export dialog: files into a folder or zip, or one sprite sheet with its atlas; key-out, palette
// snapping and upscaling apply to both. The form's fields become an `export.images` or `export.sheet`
// request, with only the operations that are switched on.
import type { Input } from '#shared/api/index';
import type { Api } from '../api/client';

type Ops = Pick<Input<'export.images'>, 'keyOut' | 'palette' | 'upscale'>;

export class ExportState {
  target = $state<'files' | 'sheet'>('files');
  folder = $state('');
  zip = $state(false);
  template = $state('{run}_{seed}_{prompt}');
  format = $state<'png' | 'webp' | 'jpeg'>('png');
  overwrite = $state(false);

  upscale = $state<1 | 2 | 4 | 8>(1);
  palette = $state(false);
  colors = $state(16);
  keyOut = $state(false);
  keyColour = $state('');
  tolerance = $state(24);
  softness = $state(96);

  sheet = $state('');
  mode = $state<'pack' | 'grid'>('pack');
  atlas = $state<'hash' | 'array'>('hash');
  padding = $state(2);
  extrude = $state(0);
  trim = $state(false);
  pot = $state(false);
  columns = $state<number | null>(null);
  frameNames = $state('{index}');
  /** Sheet frames in the order the images are shown (newest first in the gallery) or reversed. */
  frameOrder = $state<'shown' | 'reversed'>('shown');

  busy = $state(false);
  error = $state<string | null>(null);
  done = $state<string | null>(null);

  constructor(
    private readonly api: Api,
    readonly ids: number[],
  ) {}

  get ready(): boolean {
    return (this.target === 'files' ? this.folder : this.sheet).trim() !== '';
  }

  ops(): Ops {
    return {
      ...(this.keyOut
        ? {
            keyOut: {
              tolerance: this.tolerance,
              softness: this.softness,
              ...(this.keyColour.trim() ? { colour: this.keyColour.trim() } : {}),
            },
          }
        : {}),
      ...(this.palette ? { palette: { colors: this.colors } } : {}),
      ...(this.upscale > 1 ? { upscale: this.upscale } : {}),
    };
  }

  imagesInput(): Input<'export.images'> {
    const template = this.template.trim();
    return {
      generationIds: this.ids,
      folder: this.folder.trim(),
      zip: this.zip,
      ...(template ? { template } : {}),
      format: this.format,
      overwrite: this.overwrite,
      ...this.ops(),
    };
  }

  sheetInput(): Input<'export.sheet'> {
    const template = this.frameNames.trim();
    return {
      generationIds: this.frameOrder === 'reversed' ? [...this.ids].reverse() : this.ids,
      sheet: this.sheet.trim(),
      mode: this.mode,
      atlas: this.atlas,
      padding: this.padding,
      extrude: this.extrude,
      // A grid keeps every cell one size, so it never trims (the dialog says so).
      trim: this.trim && this.mode === 'pack',
      pot: this.pot,
      ...(this.mode === 'grid' && this.columns ? { columns: this.columns } : {}),
      ...(template ? { template } : {}),
      overwrite: this.overwrite,
      ...this.ops(),
    };
  }

  async submit(): Promise<void> {
    this.busy = true;
    this.error = null;
    this.done = null;
    try {
      if (this.target === 'files') {
        const r = await this.api.call('export.images', this.imagesInput());
        this.done = `Exported ${r.count} image${r.count === 1 ? '' : 's'} to ${r.target}`;
      } else {
        const r = await this.api.call('export.sheet', this.sheetInput());
        this.done = `Sprite sheet of ${r.frames.length} frame${r.frames.length === 1 ? '' : 's'} (${r.width}×${r.height}): ${r.sheet} and ${r.atlas}`;
      }
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
