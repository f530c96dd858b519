// The house's layering, checked: reads the import lines of src/ and reports upward imports and import circles.
// Run: node scripts/check-imports.mjs   (test/layering.test.ts runs the same check in `npm test`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Layers, highest first; a file may import its own layer or lower ones, never a higher one. Inside the engine:
 * the operations' domain rules (resources) run batch jobs (batch), which answer lines as requests are answered
 * (serving); all three sit on the core (the Engine, the state it holds, a group's data), which sits on data,
 * store, filters, training and evaluation, which use the engine's vocabulary (the files directly in src/engine/:
 * errors, clock, options, worker paths).
 */
export const LAYERS = [
  { name: 'cli', match: (f) => f === 'cli.ts' || f === 'index.ts' },
  { name: 'workbench', match: (f) => f.startsWith('workbench/') },
  { name: 'api', match: (f) => f.startsWith('api/') },
  { name: 'engine: resources', match: (f) => f.startsWith('engine/resources/') },
  { name: 'engine: batch', match: (f) => f.startsWith('engine/batch/') },
  { name: 'engine: serving', match: (f) => f.startsWith('engine/serving/') },
  { name: 'engine: core', match: (f) => f.startsWith('engine/core/') },
  { name: 'engine: data, store, filters, training, evaluation', match: (f) => /^engine\/(data|store|filters|training|evaluation)\//.test(f) },
  { name: 'engine: vocabulary', match: (f) => /^engine\/[^/]+\.ts$/.test(f) },
  { name: 'recipes', match: (f) => f.startsWith('recipes/') },
  { name: 'lib', match: (f) => f.startsWith('lib/') || f === 'version.ts' },
  // The console's browser script (its own tsconfig, DOM types): below everything, so it imports no server code.
  { name: 'ui (browser)', match: (f) => f.startsWith('ui/') },
];

/** Every .ts file under dir, relative to it, with '/' separators. */
function sources(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p, base));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(base, p).split(sep).join('/'));
  }
  return out;
}

// `import ... from './x.js'`, `export ... from './x.js'`, `import('./x.js')`, `import './x.js'`: relative ones only.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The import graph of src/: file -> the files it imports (type imports included: they tie modules too). */
export function importGraph(srcDir) {
  const files = sources(srcDir);
  const known = new Set(files);
  const graph = new Map();
  for (const f of files) {
    const text = readFileSync(join(srcDir, f), 'utf8');
    const targets = new Set();
    for (const m of text.matchAll(IMPORT)) {
      const abs = resolve(dirname(join(srcDir, f)), m[1]);
      const t = relative(srcDir, abs).split(sep).join('/').replace(/\.js$/, '.ts');
      if (known.has(t)) targets.add(t);
    }
    graph.set(f, [...targets].sort());
  }
  return graph;
}

export function layerOf(file) {
  const i = LAYERS.findIndex((l) => l.match(file));
  if (i < 0) throw new Error(`${file} is in no layer: add it to LAYERS in scripts/check-imports.mjs`);
  return i;
}

/** Imports from a lower layer into a higher one, as 'from -> to (layer -> layer)' lines. */
export function upwardImports(graph) {
  const out = [];
  for (const [f, targets] of graph) {
    for (const t of targets) {
      if (layerOf(t) < layerOf(f)) out.push(`${f} -> ${t} (${LAYERS[layerOf(f)].name} imports ${LAYERS[layerOf(t)].name})`);
    }
  }
  return out;
}

/** Import circles: each strongly connected component of more than one file, as a sorted file list (Tarjan). */
export function importCircles(graph) {
  let counter = 0;
  const index = new Map(), low = new Map(), stack = [], onStack = new Set(), out = [];
  const visit = (v) => {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const comp = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const graph = importGraph(fileURLToPath(new URL('../src', import.meta.url)));
  const up = upwardImports(graph), circles = importCircles(graph);
  for (const line of up) console.log(`upward: ${line}`);
  for (const c of circles) console.log(`circle of ${c.length}: ${c.join(' ')}`);
  console.log(`${graph.size} files: ${up.length} upward imports, ${circles.length} circles`);
  process.exit(up.length || circles.length ? 1 : 0);
}
