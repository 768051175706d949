// The doctor's summary: counts, and each finding with what to do about it: a problem for the user, one
// that `doctor --fix` resolves in the copies it writes, or a note that needs nothing. The app has no
// command-line flags and shows near-duplicates as groups to decide on, so it asks for its own words.
import type { ReportEntry } from './report-entry';
import type { Sequence } from './sequences';
import type { SkipCode } from './skip';

export interface Fix {
  problem: string;
  count: number;
  action: string;
  kind: 'problem' | 'fixable' | 'note';
  /** A few of the paths concerned. */
  examples: string[];
}

export interface Summary {
  found: number;
  accepted: number;
  skipped: number;
  captionFiles: number;
  fixes: Fix[];
}

const EXAMPLES = 3;

const SKIP_ADVICE: Record<SkipCode, [problem: string, action: string, kind: 'problem' | 'note']> = {
  damaged: ['damaged or truncated images', 're-export them from the original', 'problem'],
  empty: ['empty files', 're-export or delete them', 'problem'],
  'not-image': ['files whose contents are not an image', 'check them: wrong extension, or not a picture at all', 'problem'],
  'unsupported-format': ['images in a format that is not read', 'convert them to PNG or JPEG', 'problem'],
  'too-many-pixels': ['images above the pixel limit', 'shrink them, or raise --max-pixels if they are genuine', 'problem'],
  'too-large': ['files too large to read', 'shrink them', 'problem'],
  unreadable: ['files or folders that cannot be read', 'fix their permissions (e.g. chmod a+r)', 'problem'],
  'name-clash': ['names that differ only in Unicode form (NFC/NFD)', 'rename one of each pair', 'problem'],
  'too-deep': ['folders nested too deep', 'move their images up a few levels', 'problem'],
  'scan-limit': ['a folder too large to scan whole', 'split it into smaller datasets', 'problem'],
  'symlink-outside': ['symlinks leading outside the folder', 'copy the files they point to into the folder', 'problem'],
  'symlink-loop': ['symlink loops', 'remove the links', 'problem'],
  'symlink-broken': ['broken symlinks', 'remove the links', 'problem'],
  'unused-caption': ['caption files that caption nothing', 'rename each to match its image (cat.png ← cat.txt)', 'problem'],
  'symlink-inside': ['symlinks to files in the folder', 'nothing to do: the targets are used under their own names', 'note'],
  'not-regular': ['FIFOs, sockets or devices', 'nothing to do: they are never read', 'note'],
  hidden: ['hidden files or folders', 'nothing to do: they are ignored', 'note'],
  'set-aside': [
    'folders of images set aside (.set-aside)',
    'nothing to do: they stay out of training; move images back to use them',
    'note',
  ],
  'not-image-type': ['files that are not images', 'nothing to do, unless they are pictures: convert those to PNG', 'note'],
};

/** What to do, said without command-line flags, for the findings whose CLI advice names one. */
const IN_APP_WORDS: Record<string, string> = {
  'images above the pixel limit': 'shrink them',
  'files or folders that cannot be read': 'give your user permission to read them',
  'images without a caption': 'type one for each below, or add a name.txt caption beside each',
  'CMYK images': 'nothing to do: training converts them to sRGB',
  'images deeper than 8 bits': 'nothing to do: training converts them to 8 bits',
  'images rotated by an EXIF tag': 'nothing to do: training turns them upright',
  'animated images (only the first frame is used)': 'nothing to do, unless another frame should be used: export that one',
};

export function summarise(
  files: ReportEntry[],
  nearDuplicates: string[][],
  sequences: Sequence[] = [],
  words: 'cli' | 'app' = 'cli',
): Summary {
  const fixes: Fix[] = [];
  const add = (problem: string, paths: string[], action: string, kind: Fix['kind']) => {
    const said = words === 'app' ? (IN_APP_WORDS[problem] ?? action) : action;
    // The app fixes nothing in copies: what --fix would resolve, training handles on its own.
    const shown = words === 'app' && kind === 'fixable' ? 'note' : kind;
    if (paths.length > 0) fixes.push({ problem, count: paths.length, action: said, kind: shown, examples: paths.slice(0, EXAMPLES) });
  };
  const accepted = files.filter((f) => f.status === 'accepted');
  const pathsWhere = (test: (f: (typeof accepted)[number]) => boolean) => accepted.filter(test).map((f) => f.path);

  for (const [code, [problem, action, kind]] of Object.entries(SKIP_ADVICE)) {
    add(
      problem,
      files.filter((f) => f.status === 'skipped' && f.code === code).map((f) => f.path),
      action,
      kind,
    );
  }
  add(
    'images without a caption',
    pathsWhere((f) => f.caption === ''),
    'add a name.txt caption beside each',
    'problem',
  );
  if (nearDuplicates.length > 0) {
    fixes.push({
      problem: 'groups of near-duplicate images',
      count: nearDuplicates.length,
      action: 'keep one image of each group, unless the copies are intended',
      kind: 'problem',
      examples: nearDuplicates.slice(0, EXAMPLES).map((g) => `${g[0]} ≈ ${g.length - 1} more`),
    });
  }
  add(
    'sequences with only one frame',
    sequences.filter((s) => s.frames.length < 2).map((s) => s.folder),
    'add the other frames, or move the image out of its folder (motion training needs pairs)',
    'problem',
  );
  add(
    'sequences whose frames differ in size',
    sequences.filter((s) => !s.sameSize).map((s) => s.folder),
    'export every frame at one size (motion training refuses them)',
    'problem',
  );
  add(
    'CMYK images',
    pathsWhere((f) => f.mode === 'CMYK'),
    '--fix writes sRGB copies (training converts them too)',
    'fixable',
  );
  add(
    'images deeper than 8 bits',
    pathsWhere((f) => f.bitDepth > 8),
    '--fix writes 8-bit copies (training converts them too)',
    'fixable',
  );
  add(
    'images rotated by an EXIF tag',
    pathsWhere((f) => f.orientation !== 1),
    '--fix writes them upright (training turns them too)',
    'fixable',
  );
  add(
    'animated images (only the first frame is used)',
    pathsWhere((f) => f.frames > 1),
    '--fix keeps the first frame',
    'fixable',
  );
  add(
    'pixel art (hard edges, few colours)',
    pathsWhere((f) => f.pixelArt),
    'resized without blurring (nearest-neighbour up, box average down), and samples are snapped to the set’s colours',
    'note',
  );
  add(
    'images that are not square',
    pathsWhere((f) => f.width !== f.height),
    'training uses the centre square of each (fit: crop); set fit to pad to letterbox them whole instead',
    'note',
  );
  const common = mostCommonSize(accepted);
  add(
    `images of another size than most (${common})`,
    pathsWhere((f) => `${f.width}×${f.height}` !== common),
    'they are scaled to the training size like the rest',
    'note',
  );
  const order: Fix['kind'][] = ['problem', 'fixable', 'note'];
  fixes.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return {
    found: files.length,
    accepted: accepted.length,
    skipped: files.filter((f) => f.status === 'skipped').length,
    captionFiles: files.filter((f) => f.status === 'caption').length,
    fixes,
  };
}

function mostCommonSize(images: { width: number; height: number }[]): string {
  const counts = new Map<string, number>();
  for (const f of images) counts.set(`${f.width}×${f.height}`, (counts.get(`${f.width}×${f.height}`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
}
