// `npm run bench`: every suite in one run, printed as a table and written to bench/results/latest.json
// (micro-benchmark figures carry their margin of error, ±%, from tinybench: micro.ts).
// Pass suite names to run only some (`npm run bench -- import http`): the other suites' last results stay in the file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './types.js';

type Suite = () => Promise<BenchResult[]>;

const SUITES: Record<string, () => Promise<Suite>> = {
  import: async () => (await import('./import.js')).runImportBench,
  http: async () => (await import('./http.js')).runHttpBench,
  quality: async () => (await import('./quality.js')).runQualityBench,
  scoring: async () => (await import('./scoring.js')).runScoringBench,
  serving: async () => (await import('./serving.js')).runServingBench,
  update: async () => (await import('./update.js')).runUpdateBench,
  events: async () => (await import('./events.js')).runEventsBench,
  batch: async () => (await import('./batch.js')).runBatchBench,
  scale: async () => (await import('./scale.js')).runScaleBench,
  evaluate: async () => (await import('./evaluate.js')).runEvaluateBench,
  served: async () => (await import('./served.js')).runServedBench,
  text: async () => (await import('./text.js')).runTextBench,
  scale5m: async () => (await import('./scale25m.js')).runScale5mBench,
  scale25m: async () => (await import('./scale25m.js')).runScale25mBench,
  sims5m: async () => (await import('./sims.js')).runSims5mBench,
  sims25m: async () => (await import('./sims.js')).runSims25mBench,
};
/** Suites that take minutes or write big files: run only when named (`npm run bench -- scale25m`). */
const ONLY_WHEN_NAMED = new Set(['scale5m', 'scale25m', 'sims5m', 'sims25m']);

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length ? wanted : Object.keys(SUITES).filter((n) => !ONLY_WHEN_NAMED.has(n));
  const all: (BenchResult & { suite: string })[] = [];
  for (const name of names) {
    const load = SUITES[name];
    if (!load) throw new Error(`unknown suite ${name}; suites: ${Object.keys(SUITES).join(', ')}`);
    console.log(`\n## ${name}`);
    let results: BenchResult[];
    try {
      results = await (await load())();
    } catch (e) {
      console.log(`suite ${name} failed: ${(e as Error).stack ?? e}`);
      continue;
    }
    for (const r of results) {
      const base = r.baseline !== undefined ? `  baseline ${fmt(r.baseline)}` : '';
      const ratio = r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(3)}` : '';
      const margin = r.margin !== undefined ? ` ±${r.margin.toFixed(1)}%` : '';
      console.log(`${r.name.padEnd(58)} ${fmt(r.value).padStart(12)} ${r.unit}${margin}${base}${ratio}`);
    }
    all.push(...results.map((r) => ({ suite: name, ...r })));
  }
  mkdirSync('bench/results', { recursive: true });
  const file = 'bench/results/latest.json';
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as (BenchResult & { suite?: string })[]) : [];
  const kept = earlier.filter((r) => r.suite !== undefined && !names.includes(r.suite));
  writeFileSync(file, JSON.stringify([...kept, ...all], null, 2) + '\n');
  console.log('\nwrote bench/results/latest.json');
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
