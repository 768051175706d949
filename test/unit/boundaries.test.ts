// The architecture's boundaries, checked mechanically (see ../shared/ARCHITECTURE.md): shared/ is pure
// (imports nothing of ours outside shared/, no Node built-ins), main/core never imports electron, and
// the renderer never imports main/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(sources(p));
    else if (/\.(ts|svelte)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
}

function resolved(file: string, spec: string): string {
  return spec.startsWith('.') ? path.relative('.', path.resolve(path.dirname(file), spec)) : spec;
}

// Pure libraries shared/ may use: the API contract's runtime schemas.
const SHARED_PACKAGES = ['zod'];

describe('architecture boundaries', () => {
  it('shared/ imports only shared/ (and zod) and no Node built-ins', () => {
    const bad = sources('shared').flatMap((f) =>
      imports(f)
        .map((s) => resolved(f, s))
        .filter((s) => !s.startsWith('shared/') && !s.startsWith('shared' + path.sep) && !SHARED_PACKAGES.includes(s))
        .map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('main/core never imports electron', () => {
    const bad = sources('main/core').flatMap((f) => imports(f).filter((s) => s === 'electron' || s.startsWith('electron/')).map((s) => `${f} → ${s}`));
    expect(bad).toEqual([]);
  });

  it('renderer/ never imports main/', () => {
    const files = statSync('renderer', { throwIfNoEntry: false }) ? sources('renderer') : [];
    const bad = files.flatMap((f) => imports(f).map((s) => resolved(f, s)).filter((s) => s.startsWith('main')).map((s) => `${f} → ${s}`));
    expect(bad).toEqual([]);
  });

  it('the checker sees imports (a file that breaks the rule would be caught)', () => {
    expect(imports('shared/prompt/weighted-tokens.ts')).toContain('./parse');
    expect(resolved('shared/x.ts', '../main/core/errors')).toBe(path.join('main', 'core', 'errors'));
  });
});
