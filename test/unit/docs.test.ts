// The documentation cannot rot silently: every relative link and every repository path in README.md and
// docs/*.md must exist, and every test that docs/reliability.md cites must be in the file it names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

// Paths under the repository's own top-level folders and files; anything else (runs/<run>, other
// projects' files, URLs) is not ours to check.
const TOP = ['main', 'shared', 'renderer', 'test', 'bench', 'docs', 'bin', 'assets', '\\.ci'];
const TOP_FILES = ['package\\.json', 'electron-builder\\.yml', 'tsconfig\\.json', 'vitest\\.config\\.ts'];
const REPO_PATH = new RegExp(`(?<![\\w./-])((?:${TOP.join('|')})/[\\w@.+\\-/]*[\\w/]|(?:${TOP_FILES.join('|')})(?![\\w-]|\\.\\w))`, 'g');
const LINK = /\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/** Build outputs named in the root .gitignore (`dir/` anywhere, `a/b/` from the root, `*.ext`): they
 * exist only after a build or a run, so the docs may name them. */
function ignoredByGit(): (p: string) => boolean {
  const rules = readFileSync('.gitignore', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return (p) =>
    rules.some((rule) => {
      if (rule.startsWith('*')) return p.endsWith(rule.slice(1));
      const dir = rule.replace(/\/$/, '');
      return dir.includes('/') ? `${p}/`.startsWith(`${dir}/`) : p.split('/').includes(dir);
    });
}

function linksIn(doc: string, text: string): string[] {
  return [...text.matchAll(LINK)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target!) && !target!.startsWith('#'))
    .map((target) => path.posix.normalize(path.posix.join(path.posix.dirname(doc), decodeURI(target!.split('#')[0]!))));
}

function pathsIn(text: string): string[] {
  return [...text.matchAll(REPO_PATH)].map((m) => m[1]!.replace(/\/$/, ''));
}

describe('docs', () => {
  const ignored = ignoredByGit();

  it.each(DOCS)('%s links only to files that exist', (doc) => {
    const missing = linksIn(doc, readFileSync(doc, 'utf8')).filter((p) => !existsSync(p));
    expect(missing).toEqual([]);
  });

  it.each(DOCS)('%s names only repository paths that exist', (doc) => {
    const missing = pathsIn(readFileSync(doc, 'utf8')).filter((p) => !ignored(p) && !existsSync(p));
    expect(missing).toEqual([]);
  });

  it('README.md stays a front door: at most 150 lines', () => {
    expect(readFileSync('README.md', 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  it('docs/reliability.md cites tests that are in the files it names', () => {
    const rows = readFileSync('docs/reliability.md', 'utf8')
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(17);
    const wrong: string[] = [];
    for (const row of rows) {
      const proof = row.slice(row.lastIndexOf(' | ', row.length - 3));
      const files = [...proof.matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]);
      const titles = [...proof.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
      expect(files.length, row).toBeGreaterThan(0);
      const sources = files.map((f) => readFileSync(f!, 'utf8'));
      for (const title of titles) if (!sources.some((s) => s.includes(title!))) wrong.push(`${title} (${files.join(', ')})`);
    }
    expect(wrong).toEqual([]);
  });

  it('finds the links and paths it checks', () => {
    const text =
      'See [a](images/x.png), [b](https://example.com), [c](#top), `main/core/ml/train.ts`, `npx tsx bench/engine.ts --size 32`, runs/<run>, src/main/ipc.ts, `renderer/lib/state/*.svelte.ts`, and package.json.';
    expect(linksIn('docs/app.md', text)).toEqual(['docs/images/x.png']);
    expect(pathsIn(text)).toEqual(['main/core/ml/train.ts', 'bench/engine.ts', 'renderer/lib/state', 'package.json']);
    expect(ignored('main/core/compute/wasm/build/plain.wasm')).toBe(true);
    expect(ignored('renderer/dist/index.html')).toBe(true);
    expect(ignored('main/core/compute/wasm/runner.ts')).toBe(false);
  });
});
