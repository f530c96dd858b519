// The manifest says what the code uses: every dependency is imported by shipped code (src/), every
// devDependency by tests, benchmarks or scripts (or is a tool the npm scripts run), and the README's
// Dependencies table lists exactly these packages.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>; devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; scripts: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|js|mjs|cjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Packages named by import/export ... from, import(), bare import and require() in these folders. */
function importedPackages(dirs: string[]): Set<string> {
  const out = new Set<string>();
  const spec = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"./][^'"]*)['"]/g;
  for (const file of dirs.flatMap(sourceFiles)) {
    for (const [, s] of readFileSync(file, 'utf8').matchAll(spec)) {
      if (s!.startsWith('node:')) continue;
      const parts = s!.split('/');
      out.add(s!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return out;
}

/** Tools the npm scripts run by their command name (the package that provides each command). */
const TOOLS: Record<string, string> = { tsc: 'typescript', vitest: 'vitest' };

const deps = Object.keys(PKG.dependencies ?? {});
const devDeps = Object.keys(PKG.devDependencies ?? {});

describe('package.json', () => {
  it('every runtime dependency is imported by shipped code, and everything shipped code imports is one', () => {
    const shipped = importedPackages(['src']);
    expect(deps.filter((d) => !shipped.has(d)), 'dependencies nothing in src/ imports').toEqual([]);
    expect([...shipped].filter((d) => !deps.includes(d)).sort(), 'packages src/ imports that are not dependencies').toEqual([]);
  });

  it('every devDependency is imported by tests, benchmarks or scripts, or run by an npm script', () => {
    const used = importedPackages(['test', 'bench', 'scripts']);
    const scripts = Object.values(PKG.scripts).join(' ');
    for (const [command, pkg] of Object.entries(TOOLS)) if (new RegExp(`\\b${command}\\b`).test(scripts)) used.add(pkg);
    // Type packages count when the package they type is used: @types/node by tsc's "types": ["node"], @types/x
    // when shipped code imports x (tsc needs them to build src/).
    used.add('@types/node');
    for (const d of importedPackages(['src'])) used.add(`@types/${d.replace(/^@([^/]+)\//, '$1__')}`);
    expect(devDeps.filter((d) => !used.has(d)), 'devDependencies nothing uses').toEqual([]);
  });

  it('has no optional or peer dependencies, and pins exact versions', () => {
    expect(PKG.optionalDependencies ?? {}).toEqual({});
    expect(PKG.peerDependencies ?? {}).toEqual({});
    const ranges = Object.entries({ ...PKG.dependencies, ...PKG.devDependencies }).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(v));
    expect(ranges, 'versions that are ranges, not exact').toEqual([]);
  });
});

describe('README Dependencies section', () => {
  it('lists exactly the packages of package.json, each with its kind', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = /\n## Dependencies\n([\s\S]*?)(?=\n## )/.exec(readme)?.[1];
    expect(section, 'README has a "## Dependencies" section').toBeTruthy();
    const rows = [...section!.matchAll(/^\| `([^`]+)` \| (runtime|dev) \|/gm)].map((m) => [m[1]!, m[2]!]);
    const listed = Object.fromEntries(rows);
    const expected = Object.fromEntries([...deps.map((d) => [d, 'runtime']), ...devDeps.map((d) => [d, 'dev'])]);
    expect(listed).toEqual(expected);
  });
});
