// The doctor's summary: counts, and each problem found with what to do about it. `fixable` problems are
// the ones `doctor --fix` resolves in the copies it writes.
import type { ReportEntry } from './doctor.js';
import type { SkipCode } from './skip.js';

export interface Fix {
  problem: string;
  count: number;
  action: string;
  fixable: boolean;
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

const SKIP_ADVICE: Record<SkipCode, [problem: string, action: string]> = {
  damaged: ['damaged or truncated images', 're-export them from the original'],
  empty: ['empty files', 're-export or delete them'],
  'not-image': ['files whose contents are not an image', 'check them: wrong extension, or not a picture at all'],
  'unsupported-format': ['images in a format that is not read', 'convert them to PNG or JPEG'],
  'too-many-pixels': ['images above the pixel limit', 'shrink them, or raise --max-pixels if they are genuine'],
  'too-large': ['files too large to read', 'shrink them'],
  unreadable: ['files or folders that cannot be read', 'fix their permissions (e.g. chmod a+r)'],
  'name-clash': ['names that differ only in Unicode form (NFC/NFD)', 'rename one of each pair'],
  'too-deep': ['folders nested too deep', 'move their images up a few levels'],
  'scan-limit': ['a folder too large to scan whole', 'split it into smaller datasets'],
  'symlink-outside': ['symlinks leading outside the folder', 'copy the files they point to into the folder'],
  'symlink-loop': ['symlink loops', 'remove the links'],
  'symlink-broken': ['broken symlinks', 'remove the links'],
  'unused-caption': ['caption files that caption nothing', 'rename each to match its image (cat.png ← cat.txt)'],
  'symlink-inside': ['symlinks to files in the folder', 'nothing to do: the targets are used under their own names'],
  'not-regular': ['FIFOs, sockets or devices', 'nothing to do: they are never read'],
  hidden: ['hidden files or folders', 'nothing to do: they are ignored'],
  'not-image-type': ['files that are not images', 'nothing to do, unless they are pictures: convert those to PNG'],
};

export function summarise(files: ReportEntry[], nearDuplicates: string[][]): Summary {
  const fixes: Fix[] = [];
  const add = (problem: string, paths: string[], action: string, fixable: boolean) => {
    if (paths.length > 0) fixes.push({ problem, count: paths.length, action, fixable, examples: paths.slice(0, EXAMPLES) });
  };
  const accepted = files.filter((f) => f.status === 'accepted');
  const pathsWhere = (test: (f: (typeof accepted)[number]) => boolean) => accepted.filter(test).map((f) => f.path);

  for (const [code, [problem, action]] of Object.entries(SKIP_ADVICE) as [SkipCode, [string, string]][]) {
    add(problem, files.filter((f) => f.status === 'skipped' && f.code === code).map((f) => f.path), action, false);
  }
  add('CMYK images', pathsWhere((f) => f.mode === 'CMYK'), '--fix writes sRGB copies (training converts them too)', true);
  add('images deeper than 8 bits', pathsWhere((f) => f.bitDepth > 8), '--fix writes 8-bit copies (training converts them too)', true);
  add('images rotated by an EXIF tag', pathsWhere((f) => f.orientation !== 1), '--fix writes them upright (training turns them too)', true);
  add('animated images: only the first frame is used', pathsWhere((f) => f.frames > 1), '--fix keeps the first frame', true);
  add('images without a caption', pathsWhere((f) => f.caption === ''), 'add a name.txt caption beside each', false);
  if (nearDuplicates.length > 0) {
    fixes.push({
      problem: 'groups of near-duplicate images',
      count: nearDuplicates.length,
      action: 'keep one image of each group, unless the copies are intended',
      fixable: false,
      examples: nearDuplicates.slice(0, EXAMPLES).map((g) => g.join(' ≈ ')),
    });
  }
  return {
    found: files.length,
    accepted: accepted.length,
    skipped: files.filter((f) => f.status === 'skipped').length,
    captionFiles: files.filter((f) => f.status === 'caption').length,
    fixes,
  };
}
