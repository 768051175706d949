// The architecture's boundaries, checked mechanically (docs/architecture.md): shared/ is pure, main/core
// never imports electron, the renderer never imports main/, main/core's rooms import only downwards
// (compute ← ml ← runs ← export / jobs / eval ← service ← shells; files/, media/ and shared/ are
// leaves), and no files import each other in a cycle.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(name === 'node_modules' || name === 'dist' ? [] : sources(p));
    else if (/\.(ts|svelte|mjs|cjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}

// package.json's "imports": '#core/x' → 'main/core/x.ts'.
const ALIASES = Object.entries(JSON.parse(readFileSync('package.json', 'utf8')).imports as Record<string, string>).map(([from, to]) => ({
  prefix: from.replace('*', ''),
  target: to.slice(0, to.indexOf('*')).replace(/^\.\//, ''),
  suffix: to.slice(to.indexOf('*') + 1),
}));

/** An import as a repository path (a package name stays as it is). */
function resolved(file: string, spec: string): string {
  const alias = ALIASES.find((a) => spec.startsWith(a.prefix));
  if (alias) return path.normalize(alias.target + spec.slice(alias.prefix.length) + alias.suffix);
  return spec.startsWith('.') ? path.relative('.', path.resolve(path.dirname(file), spec)) : spec;
}

/** The file an internal import names, for the cycle check. */
function fileOf(p: string): string | undefined {
  for (const ext of ['', '.ts', '.svelte.ts', '/index.ts']) if (existsSync(p + ext) && statSync(p + ext).isFile()) return p + ext;
  return undefined;
}

// Rank of each room of main/core: a room may import rooms of lower rank (and leaves), never its own
// rank's other rooms or higher ones.
const RANK: Record<string, number> = { compute: 1, ml: 2, dataset: 2, store: 2, runs: 3, export: 4, jobs: 4, eval: 4, demo: 4, service: 5 };
const LEAVES = ['files', 'media', 'errors', 'version'];
const SHELL_RANK = 6;

function roomOf(p: string): string | undefined {
  const parts = p.split(path.sep);
  if (parts[0] !== 'main') return undefined;
  if (parts[1] !== 'core') return parts[1];
  return parts[2]?.replace(/\.ts$/, '');
}
const rankOf = (room: string) => RANK[room] ?? (LEAVES.includes(room) ? 0 : SHELL_RANK);

/** Imports that run against the order, as 'file → import'. */
export function wrongWay(files: string[]): string[] {
  return files.flatMap((f) => {
    const from = roomOf(f);
    if (!from) return [];
    return imports(f)
      .map((s) => ({ s, to: roomOf(resolved(f, s)) }))
      .filter(({ to }) => to !== undefined && to !== from)
      .filter(({ to }) => {
        const [a, b] = [rankOf(from), rankOf(to!)];
        if (LEAVES.includes(to!)) return false;
        return b > a || (a === b && a !== SHELL_RANK);
      })
      .map(({ s }) => `${f} → ${s}`);
  });
}

/** Every import cycle among the files, each as the list of files around it. */
export function cycles(files: string[]): string[][] {
  const graph = new Map(
    files.map((f) => [
      f,
      imports(f)
        .map((s) => resolved(f, s))
        .map(fileOf)
        .filter((t): t is string => !!t),
    ]),
  );
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') found.push(stack.slice(stack.indexOf(t)));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('architecture boundaries', () => {
  it('shared/ imports only shared/ (and zod) and no Node built-ins', () => {
    const bad = sources('shared').flatMap((f) =>
      imports(f)
        .map((s) => resolved(f, s))
        .filter((s) => !s.startsWith('shared' + path.sep) && s !== 'zod')
        .map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('main/core never imports electron', () => {
    const bad = sources('main/core').flatMap((f) =>
      imports(f)
        .filter((s) => s === 'electron' || s.startsWith('electron/'))
        .map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('renderer/ never imports main/', () => {
    const bad = sources('renderer').flatMap((f) =>
      imports(f)
        .map((s) => resolved(f, s))
        .filter((s) => s.startsWith('main'))
        .map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('ml/ reads and writes no files', () => {
    const bad = sources('main/core/ml').flatMap((f) =>
      imports(f)
        .filter((s) => /^(node:)?fs(\/|$)/.test(s) || s === 'sharp')
        .map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('export/ takes items and returns results: it never reads or records the store (the service does)', () => {
    const bad = sources('main/core/export').flatMap((f) =>
      imports(f)
        .filter((s) => resolved(f, s).startsWith(path.join('main', 'core', 'store')))
        .map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
    expect(resolved(path.join('main', 'core', 'export', 'x.ts'), '../store').startsWith(path.join('main', 'core', 'store'))).toBe(true);
  });

  it("main/'s rooms import only downwards: compute ← ml ← runs ← export / jobs / eval ← service ← shells", () => {
    expect(wrongWay(sources('main'))).toEqual([]);
  });

  it('no files import each other in a cycle', () => {
    expect(cycles([...sources('main'), ...sources('shared'), ...sources('renderer')])).toEqual([]);
  });

  it('the checker sees imports, aliases and wrong-way arrows (a file that broke a rule would be caught)', () => {
    expect(imports('shared/prompt/weighted-tokens.ts')).toContain('./parse');
    expect(resolved('shared/x.ts', '../main/core/errors')).toBe(path.join('main', 'core', 'errors'));
    expect(resolved('test/x.ts', '#core/ml/gan')).toBe(path.join('main', 'core', 'ml', 'gan.ts'));
    expect(rankOf(roomOf(path.join('main', 'core', 'ml', 'gan.ts'))!)).toBeLessThan(
      rankOf(roomOf(path.join('main', 'core', 'runs', 'session.ts'))!),
    );
    expect(roomOf(path.join('main', 'cli', 'train.ts'))).toBe('cli');
  });
});
