// How to share a big import between two threads, from a sample: by columns (this thread tokenizes every
// record and hands the offsets to a worker; each builds only its columns, so no dictionary is built twice),
// by rows, or not at all.
import { RecordScanner } from './parse.js';
import type { FieldPlan } from './columns.js';
import { FileWindow } from './stream.js';
import { lineFeedFrom, plausibleAt } from './probe.js';

/** A CSV file to sample: its data (records) start at dataStart. */
export interface SampleSource { path: string; dataStart: number }

/** First read per sample window (grown when its records need more). */
const SAMPLE_BYTES = 64 << 10;

const WINDOWS = 8;
const WINDOW_RECORDS = 512;

/** Distinct values U of a column whose n uniform draws showed d distinct ones: solves d = U (1 - e^(-n/U)). */
export function estimateDistinct(n: number, d: number): number {
  if (d >= n) return Infinity;
  let lo = Math.max(d, 1), hi = 1e12;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(lo * hi);
    if (mid * (1 - Math.exp(-n / mid)) < d) lo = mid; else hi = mid;
  }
  return lo;
}

/**
 * Distinct values expected among `rows` uniform draws from a column of `keys` distinct values (all of them
 * when keys is Infinity: every value new).
 */
export function distinctIn(keys: number, rows: number): number {
  return Math.min(rows, Number.isFinite(keys) ? keys * -Math.expm1(-rows / keys) : rows);
}

/** Per field: cost per row of building its column (ns, as measured here) and its estimated distinct values. */
export interface ColumnEstimate { costs: number[]; keys: number[]; rows: number }

/**
 * Samples records from several places of the files. String columns cost by dictionary size: one that fits
 * the caches is cheap, one of ~500k keys is memory-bound; numbers cost a fixed amount per row.
 */
export function estimateColumns(sources: SampleSource[], nf: number, fields: FieldPlan[]): ColumnEstimate {
  const sets = fields.map(() => new Set<string>());
  const bytes = fields.map(() => 0), values = fields.map(() => 0); // values: the non-empty ones (empty = null)
  let rows = 0, sampledBytes = 0, totalBytes = 0;
  for (const { path, dataStart } of sources) {
    const win = new FileWindow(path, SAMPLE_BYTES);
    try {
      totalBytes += win.size - dataStart;
      for (let w = 0; w < WINDOWS; w++) {
        let pos = dataStart + Math.floor(((win.size - dataStart) * w) / WINDOWS);
        if (w > 0) {
          pos = lineFeedFrom(win, pos) + 1;
          for (let tries = 0; pos > 0 && tries < 16 && !plausibleAt(win, pos, nf); tries++) pos = lineFeedFrom(win, pos) + 1;
          if (pos <= 0) continue;
        }
        const sc = windowRecords(win, pos, nf);
        if (!sc) continue;
        const buf = sc.buf;
        for (let r = 0; r < sc.count; r++) {
          fields.forEach((f, i) => {
            if (f.kind !== 'string' || f.csvIndex < 0) return;
            let s = sc.starts[r * nf + f.csvIndex], e = sc.ends[r * nf + f.csvIndex], src = buf;
            if (s < 0) { src = sc.scratch; s = ~s; e = ~e; }
            if (s === e) return;
            sets[i].add(src.toString('latin1', s, e));
            bytes[i] += e - s;
            values[i]++;
          });
        }
        rows += sc.count;
        sampledBytes += sc.pos;
      }
    } finally {
      win.close();
    }
  }
  const keys = fields.map((f, i) => (f.kind === 'string' && values[i] ? estimateDistinct(values[i], sets[i].size) : 0));
  const costs = fields.map((f, i) => {
    if (f.csvIndex < 0) return 0;
    if (f.kind !== 'string') return f.kind === 'boolean' ? 20 : f.kind === 'int' || f.kind === 'long' ? 30 : 40;
    const avgBytes = rows ? bytes[i] / rows : 0;
    return (keys[i] <= 8192 ? 25 : keys[i] <= 200_000 ? 60 : 120) + (avgBytes > 8 ? avgBytes / 4 : 0);
  });
  return { costs, keys, rows: sampledBytes ? Math.round((totalBytes * rows) / sampledBytes) : 0 };
}

/** The first WINDOW_RECORDS records at file position `pos` (the window grows until it holds them all). */
function windowRecords(win: FileWindow, pos: number, nf: number): RecordScanner | null {
  for (let need = 0; ;) {
    if (!win.load(pos, need) || win.tooLong) return null;
    const sc = new RecordScanner(win.bytes, 0, win.bytes.length, 0, nf, () => {}, WINDOW_RECORDS, false, !win.eof);
    sc.nextBlock();
    if (win.eof || sc.count === WINDOW_RECORDS || (!sc.incomplete && sc.pos < win.bytes.length)) return sc;
    need = win.bytes.length;
  }
}

/** Cost per row of a string column kept as bytes (csv-columns.ts RawStringBuilder). */
export const RAW_STRING_COST = 15;
const SCAN_COST = 55; // ns per record, as the other costs: measured on the 2-core VM this was built on
const RING_COST = 5; // copying a record's field offsets to the worker
const MERGE_COST = 150;

/**
 * How to share the parse between the main thread and one worker, from the column estimates: by columns
 * (`worker` marks the worker's; this thread also tokenizes), by rows (halves, then the second half's
 * dictionaries are merged into the first's: costly when keys rarely repeat), or not at all when neither is
 * clearly faster than one thread.
 */
export function planSplit(est: ColumnEstimate): { by: 'columns'; worker: boolean[] } | { by: 'rows' } | null {
  const { costs, keys, rows } = est;
  const total = costs.reduce((a, b) => a + b, 0), serial = SCAN_COST + total;
  const worker = costs.map(() => false);
  // This thread tokenizes for both, so it starts loaded; the worker may end up with every column.
  let mainLoad = SCAN_COST + RING_COST, workerLoad = 0;
  for (const [c, i] of costs.map((c, i) => [c, i]).filter(([c]) => c > 0).sort((a, b) => b[0] - a[0])) {
    if (workerLoad <= mainLoad) { worker[i] = true; workerLoad += c; } else mainLoad += c;
  }
  const byColumns = workerLoad > 0 ? Math.max(mainLoad, workerLoad) : Infinity;
  // Keys of the second half to look up in the first half's dictionary, per row.
  const merge = keys.reduce((m, u) => (u > 0 && rows > 0 ? m + (distinctIn(u, rows / 2) * MERGE_COST) / rows : m), 0);
  const byRows = serial / 2 + merge;
  if (Math.min(byColumns, byRows) > 0.8 * serial) return null;
  return byColumns <= byRows ? { by: 'columns', worker } : { by: 'rows' };
}
