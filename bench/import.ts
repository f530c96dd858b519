// Import benchmark: readCsvFiles on a generated interactions CSV, against a raw line split of the same
// file timed in the same run (both read the file from disk, as an import does).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { readCsvFiles, type CsvReadOptions } from '../src/engine/data/csv/import.js';
import { decodeBatch, encodeBatch } from '../src/engine/data/arrow-io.js';
import { Rng } from '../src/lib/random.js';
import type { ParsedSchema } from '../src/engine/data/types.js';

export interface BenchResult { name: string; value: number; unit: string; baseline?: number; ratio?: number }

const SCHEMA: ParsedSchema = {
  recordName: 'Interactions',
  fields: [
    { name: 'USER_ID', type: 'string', nullable: false, categorical: false, textual: false },
    { name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false },
    { name: 'TIMESTAMP', type: 'long', nullable: false, categorical: false, textual: false },
    { name: 'EVENT_TYPE', type: 'string', nullable: false, categorical: false, textual: false },
  ],
  avroType: avro.Type.forSchema({
    type: 'record', name: 'Interactions',
    fields: [
      { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' },
      { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
    ],
  }),
};

/**
 * Writes (once per row count) a seeded interactions CSV: ~600k possible users, 50k items, rising epoch
 * seconds, 3 event types; one row in a thousand has a quoted item id holding a comma.
 */
export function interactionsCsv(rows: number): string {
  const dir = join(tmpdir(), 'personalize-local-bench');
  const path = join(dir, `interactions-v1-${rows}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(20240601);
  const events = ['click', 'view', 'purchase'];
  const parts: string[] = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n'];
  let t = 1_700_000_000;
  for (let i = 0; i < rows; i++) {
    t += rng.int(3);
    const item = rng.int(50_000);
    const itemId = rng.int(1000) === 0 ? `"i${item},promo"` : `i${item}`;
    parts.push(`u${rng.int(600_000)},${itemId},${t},${events[rng.int(3)]}\n`);
  }
  writeFileSync(`${path}.tmp`, parts.join(''));
  renameSync(`${path}.tmp`, path);
  return path;
}

/** Best time of `runs` calls of fn, each returning how long its measured part took (ms). */
async function bestOf(runs: number, fn: () => Promise<number> | number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await fn());
  return best;
}

function timed(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * Collects garbage when node runs with --expose-gc (npm run bench does), untimed, before each import: the
 * baseline's split leaves 1M strings behind, and collecting them landed in whichever import ran next. The
 * split itself runs on the heap the runs before it grew (its fastest state: from a collected heap it takes
 * 1.7x as long), so the ratio stays on the safe side.
 */
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

export async function runImportBench(opts: { rows?: number } = {}): Promise<BenchResult[]> {
  const rows = opts.rows ?? 1_000_000;
  const path = interactionsCsv(rows);
  const files = [{ path, displayName: 'interactions.csv' }];
  const load = async (options: CsvReadOptions): Promise<number> => {
    collect();
    const t0 = performance.now();
    const r = await readCsvFiles(files, SCHEMA, options);
    const ms = performance.now() - t0;
    if (!r.ok || r.batch.rowCount !== rows) throw new Error(`import failed: ${JSON.stringify(r.ok ? r.batch.rowCount : r.issues)}`);
    return ms;
  };
  const split = () => timed(() => readFileSync(path).toString('utf8').split('\n').length);

  await load({}); // warm-up: JIT, worker start, page cache
  await load({ parallel: false });
  await load({ parallel: true, split: 'columns' });
  split();
  const rate = (ms: number) => Math.round((rows * 1000) / ms);
  // Rounds interleave every configuration with the baseline, so a burst of load on the machine falls on
  // all of them alike, and each round starts one configuration later, so each runs after every other one
  // once (what ran just before matters: an import right after the split measured ~20% slower); each keeps
  // its best round.
  const configs: Record<string, () => Promise<number> | number> = {
    split, auto: () => load({}), serial: () => load({ parallel: false }),
    byColumns: () => load({ parallel: true, split: 'columns' }), byRows: () => load({ parallel: true, split: 'rows' }),
  };
  const best: Record<string, number> = {};
  const order = Object.entries(configs);
  for (let round = 0; round < order.length; round++) {
    for (let k = 0; k < order.length; k++) {
      const [name, fn] = order[(round + k) % order.length]!;
      best[name] = Math.min(best[name] ?? Infinity, await fn());
    }
  }
  const { split: splitMs, auto, serial, byColumns, byRows } = best as Record<keyof typeof configs, number>;
  // What an import job does after the check (store the rows as an Arrow file), and reading them back.
  const arrowPath = join(tmpdir(), 'personalize-local-bench', 'interactions.arrow');
  const jobMs = await bestOf(3, async () => {
    collect();
    const t0 = performance.now();
    const r = await readCsvFiles(files, SCHEMA, {});
    if (!r.ok) throw new Error('import failed');
    writeFileSync(arrowPath, encodeBatch(r.batch, SCHEMA.fields));
    return performance.now() - t0;
  });
  // Read back with every dictionary made into strings (as training reads them).
  const readBack = () => Object.values(decodeBatch(readFileSync(arrowPath)).columns).map((c) => (c.type === 'string' ? c.dictionary.length : 0));
  const readBackMs = await bestOf(3, () => { collect(); return timed(readBack); });
  const buf = readFileSync(path);
  const splitOnlyMs = await bestOf(3, () => timed(() => buf.toString('utf8').split('\n').length));
  const base = rate(splitMs);
  const vs = (ms: number) => ({ baseline: base, ratio: Math.round((splitMs / ms) * 1000) / 1000 });
  return [
    { name: 'import.csv (readCsvFiles, default options)', value: rate(auto), unit: 'rows/s', ...vs(auto) },
    { name: 'import.csv serial (parallel: false)', value: rate(serial), unit: 'rows/s', ...vs(serial) },
    { name: 'import.csv 2 threads by columns', value: rate(byColumns), unit: 'rows/s', ...vs(byColumns) },
    { name: 'import.csv 2 threads by rows', value: rate(byRows), unit: 'rows/s', ...vs(byRows) },
    { name: 'raw read + line split (baseline)', value: base, unit: 'rows/s' },
    { name: 'import job: CSV -> checked rows -> Arrow file on disk', value: rate(jobMs), unit: 'rows/s' },
    { name: 'stored rows read back from their Arrow file, as strings', value: rate(readBackMs), unit: 'rows/s' },
    { name: 'raw line split of a buffer already read', value: rate(splitOnlyMs), unit: 'rows/s' },
  ];
}
