// What the Doctor says of each file it found: an accepted training image, a caption sidecar, or a
// skipped file with its reason.
import type { CaptionSource } from './captions';
import type { ImageHeader } from './decode';
import type { Skip } from './skip';

export interface AcceptedImage extends ImageHeader {
  path: string;
  status: 'accepted';
  /** File size in bytes. */
  bytes: number;
  /** Whether any pixel is (visibly) transparent, judged on the thumbnail. */
  alphaUsed: boolean;
  /** Hard edges and few colours (pixel-art.ts): resized without blurring. */
  pixelArt: boolean;
  caption: string;
  captionSource: CaptionSource;
  phash: string;
}

export interface SkippedFile extends Skip {
  status: 'skipped';
}

export interface CaptionFile {
  path: string;
  status: 'caption';
  /** The images this sidecar captions. */
  for: string[];
}

export type ReportEntry = AcceptedImage | SkippedFile | CaptionFile;
