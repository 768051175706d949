// Why a file or folder was left out. Every skip carries a stable code (for summaries and tests) and a
// one-line reason written for the artist who has to act on it.

export type SkipCode =
  | 'hidden'
  | 'set-aside' // the folder the app moves near-duplicates into
  | 'not-regular' // FIFO, socket, device
  | 'symlink-outside'
  | 'symlink-loop'
  | 'symlink-broken'
  | 'symlink-inside' // a link to something that is scanned under its own name anyway
  | 'too-deep'
  | 'scan-limit'
  | 'name-clash' // two names that are one name after Unicode NFC normalisation
  | 'unreadable'
  | 'empty'
  | 'too-large'
  | 'not-image-type' // an extension we do not read
  | 'unused-caption' // a sidecar with no image, or one outranked by another sidecar
  | 'not-image' // contents are not an image format we accept
  | 'unsupported-format'
  | 'too-many-pixels'
  | 'damaged';

export interface Skip {
  path: string;
  code: SkipCode;
  reason: string;
}

/** A file the decoder refuses; the doctor turns it into a Skip. */
export class ImageRejected extends Error {
  constructor(
    readonly code: SkipCode,
    reason: string,
  ) {
    super(reason);
    this.name = 'ImageRejected';
  }
}

/** A filesystem error as a short phrase, e.g. "permission denied". */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it disappeared while being read';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENAMETOOLONG':
      return 'its path is too long for the system';
    case 'EIO':
      return 'input/output error (damaged disk or disconnected drive?)';
    default:
      return firstLine(err instanceof Error ? err.message : String(err));
  }
}

/** First line of a message: libvips errors come as several lines, a report line must be one. */
function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.trim();
}
