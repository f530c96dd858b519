// The CSV reader of dataset import jobs: reads files in chunks (memory: the columns, plus a few MB per
// thread, whatever the files' sizes), checks headers and every value against the schema, and returns the
// rows as a ColumnBatch (big inputs are parsed on all cores) or the first issues found.
import { stat } from 'node:fs/promises';
import type { Column, ColumnBatch, ImportIssue, ParsedSchema } from '../types.js';
import { readHeaderRecord } from './parse.js';
import { parseChunk, type ChunkResult } from './chunk.js';
import { ByteDict } from '../byte-dict.js';
import { keyAt, keyCount, stringColumn } from '../utf8-keys.js';
import type { ChunkColumn, FieldPlan, StrictCheck } from './columns.js';
import { avscFields, buildPlans, issueAt, matchHeader, type AvscField } from './plan.js';
import { coresLookFree, parseFilesByColumns, parseFilesParallel, workersWarm, type DataFile } from './parallel.js';
import { DEFAULT_CHUNK_BYTES, FileWindow } from './stream.js';
import { distinctIn, estimateColumns, planSplit, RAW_STRING_COST, type ColumnEstimate } from './balance.js';
import { rowStringColumn } from '../row-strings.js';

/**
 * A string column is kept as its rows' bytes (dictionary-encoded when first read) when the sample says it
 * has many distinct values, most of them seen about once (a user id): hashing them is most of an import.
 */
function rarelyRepeats(keys: number, rows: number, minKeys: number): boolean {
  return minKeys !== Infinity && keys >= minKeys && keys >= rows / 4;
}

export interface CsvSource { path: string; displayName: string }
export type CsvReadResult = { ok: true; batch: ColumnBatch } | { ok: false; issues: ImportIssue[] };
export interface CsvReadOptions {
  /** Stop after this many issues (default 10). */
  maxIssues?: number;
  /** Parse on worker threads too; default: when the input is big (PARALLEL_MIN_BYTES) and a core looks free. */
  parallel?: boolean;
  /** How threads share the work: by columns or by chunks of rows; default: by columns when that balances. */
  split?: 'columns' | 'rows';
  /**
   * String columns with at least this many distinct values (estimated from a sample of a big input), most
   * seen about once, are kept as their rows' bytes and dictionary-encoded when first read (default 200,000;
   * Infinity: never).
   */
  bytesColumnMinKeys?: number;
  /**
   * Bytes read from a file at a time (default DEFAULT_CHUNK_BYTES); internal: tests set it tiny so that
   * small files cross as many chunk boundaries as huge ones. The result is the same for every size.
   */
  chunkBytes?: number;
}

/** Below this, messaging workers costs more than it saves; before the workers have started, 4x more. */
export const PARALLEL_MIN_BYTES = 4 << 20;

interface LoadedFile extends DataFile { name: string }

export async function readCsvFiles(files: CsvSource[], schema: ParsedSchema, options: CsvReadOptions = {}): Promise<CsvReadResult> {
  const maxIssues = Math.max(1, options.maxIssues ?? 10);
  if (files.length === 0) return { ok: false, issues: [{ file: '', line: 0, message: 'there are no CSV files to import' }] };
  const avsc = avscFields(schema);
  const strict = avsc.some((a) => !a.known); // some field's avsc check is not one the fast path knows
  const sizes = await Promise.all(files.map(async (f) => (await stat(f.path)).size));
  const bytes = sizes.reduce((a, b) => a + b, 0);
  const parallel = !strict && (options.parallel ?? (bytes > PARALLEL_MIN_BYTES * (workersWarm() ? 1 : 4) && coresLookFree()));
  const chunkBytes = Math.max(16, Math.floor(options.chunkBytes ?? DEFAULT_CHUNK_BYTES));

  // Headers: every file's must match the schema and the first file's.
  const loaded: LoadedFile[] = [];
  const issues: ImportIssue[] = [];
  let plans: FieldPlan[] | null = null, first: { names: string[]; file: string } | null = null;
  for (const src of files) {
    const { header, headerIssues } = readHeader(src, chunkBytes);
    if (!header) {
      issues.push(...(headerIssues.length ? headerIssues : [issueAt(src.displayName, 1, undefined,
        'the file is empty; its first line must be a header naming the columns, e.g. USER_ID,ITEM_ID,TIMESTAMP')]));
      continue;
    }
    issues.push(...headerIssues);
    if (!first) {
      first = { names: header.names, file: src.displayName };
      const m = matchHeader(header.names, schema, src.displayName, header.headerLine);
      issues.push(...m.issues);
      plans = buildPlans(schema, m.csvIndex, avsc);
    } else if (header.names.join('\u0000') !== first.names.join('\u0000')) {
      issues.push(issueAt(src.displayName, header.headerLine, undefined, `the header [${header.names.join(', ')}] differs ` +
        `from the header of ${first.file} [${first.names.join(', ')}]; all files of one import need the same columns in the same order`));
    }
    loaded.push({ name: src.displayName, path: src.path, size: header.size, dataStart: header.pos, startLine: header.line });
  }
  if (issues.length || !plans || !first) return { ok: false, issues: issues.slice(0, maxIssues) };

  const nf = first.names.length;
  // Big inputs: a sample tells how many distinct values each string column has (sizes dictionaries, picks
  // the columns kept as bytes, plans the threads).
  const total = loaded.reduce((n, f) => n + f.size - f.dataStart, 0);
  const est = parallel || total >= PARALLEL_MIN_BYTES || options.bytesColumnMinKeys !== undefined ? estimateColumns(loaded, nf, plans) : null;
  if (est) {
    const minKeys = options.bytesColumnMinKeys ?? 200_000;
    plans = plans.map((p, i) => (p.kind === 'string' && rarelyRepeats(est.keys[i]!, est.rows, minKeys) ? { ...p, raw: true } : p));
    // A column kept as bytes is a copy per value, and no dictionary to size or merge.
    plans.forEach((p, i) => { if (p.raw) { est.costs[i] = RAW_STRING_COST; est.keys[i] = 0; } });
  }
  const fields = plans;
  const run = (strictChecks?: Array<StrictCheck | undefined>) => loaded.map((f) => {
    const share = (f.size - f.dataStart) / Math.max(1, total), rows = (est?.rows ?? 0) * share;
    const keys = est && rows ? est.keys.map((u) => distinctIn(u, rows)) : undefined;
    return [parseChunk({ path: f.path, start: f.dataStart, limit: f.size, chunkBytes, startLine: f.startLine, nf, maxIssues,
      fields, ...(keys ? { keys } : {}), ...(rows ? { rowsHint: Math.ceil(rows * 1.02) } : {}) }, strictChecks)];
  });
  let chunks = (parallel && est ? await parseShared(loaded, nf, maxIssues, fields, est, chunkBytes, options.split) : null) ??
    run(strict ? avsc : undefined);
  let found = collectIssues(loaded, chunks, maxIssues);
  if (found.length) return { ok: false, issues: found };
  const batch = assemble(plans, chunks.flat());
  if (strict || passesAvsc(chunks, batch, plans, avsc)) return { ok: true, batch };
  // The fast path let through a value avsc rejects: find the rows value by value.
  chunks = run(avsc);
  found = collectIssues(loaded, chunks, maxIssues);
  return found.length ? { ok: false, issues: found } : { ok: true, batch: assemble(plans, chunks.flat()) };
}

/** The parallel parse, split by columns or by rows as estimated fastest (or as asked); null: parse here. */
async function parseShared(files: LoadedFile[], nf: number, maxIssues: number, plans: FieldPlan[], est: ColumnEstimate,
  chunkBytes: number, split?: 'columns' | 'rows') {
  const plan = planSplit(est);
  if (split === 'columns' || (!split && plan?.by === 'columns')) {
    const worker = plan?.by === 'columns' ? plan.worker : plans.map((p, i) => p.csvIndex >= 0 && i % 2 === 0);
    return parseFilesByColumns(files, nf, maxIssues, plans, worker, chunkBytes, { keys: est.keys, rows: est.rows });
  }
  return split === 'rows' || plan?.by === 'rows' ? parseFilesParallel(files, nf, maxIssues, plans, chunkBytes) : null;
}

/** A file's header (read from its first chunk, more when the header is longer), with where its records start. */
function readHeader(src: CsvSource, chunkBytes: number) {
  const headerIssues: ImportIssue[] = [];
  const win = new FileWindow(src.path, chunkBytes);
  try {
    for (let need = 0; ;) {
      headerIssues.length = 0;
      if (!win.load(0, need)) return { header: null, headerIssues };
      const buf = win.bytes;
      const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      const header = readHeaderRecord(buf, bom, (line, msg) => headerIssues.push(issueAt(src.displayName, line, undefined, msg)),
        1000, !win.eof && !win.tooLong);
      if (header !== 'incomplete') return { header: header && { ...header, size: win.size }, headerIssues };
      need = buf.length;
    }
  } finally {
    win.close();
  }
}

function collectIssues(files: LoadedFile[], chunks: ChunkResult[][], maxIssues: number): ImportIssue[] {
  const out: ImportIssue[] = [];
  chunks.forEach((list, i) => {
    for (const c of list) {
      for (const x of c.issues) {
        if (out.length < maxIssues) out.push(issueAt(files[i].name, x.line, x.column, x.message));
      }
    }
  });
  return out;
}

/**
 * The avsc check of the values the fast path let through. For int and long, validity is being an integer in
 * an interval, so each chunk's min and max decide it; float, double and boolean accept every value parsed.
 * For string types avsc accepts any string, so a sample per column (first and last value) is asked.
 */
function passesAvsc(chunks: ChunkResult[][], batch: ColumnBatch, plans: FieldPlan[], avsc: AvscField[]): boolean {
  for (const c of chunks.flat()) {
    for (const [i, col] of c.columns.entries()) {
      if (!col || col.kind === 'string' || col.kind === 'utf8' || col.min > col.max) continue;
      const conv = (v: number) => (col.kind === 'boolean' ? v === 1 : v);
      if (!avsc[i].isValid(conv(col.min)) || !avsc[i].isValid(conv(col.max))) return false;
    }
  }
  return plans.every((p, i) => {
    const col = batch.columns[p.name];
    if (p.csvIndex < 0 || col.type !== 'string') return true;
    const keys = col.rowValues?.utf8 ?? col.utf8, n = keys ? keyCount(keys) : 0;
    // Null rows of a column kept as bytes are empty, and no value is empty: the first and last non-empty.
    let first = 0, last = n - 1;
    while (first < n && keys!.offsets[first + 1] === keys!.offsets[first]) first++;
    while (last > first && keys!.offsets[last + 1] === keys!.offsets[last]) last--;
    return first >= n || (avsc[i].isValid(keyAt(keys!, first)) && avsc[i].isValid(keyAt(keys!, last)));
  });
}

/** Concatenates the chunks' columns; string dictionaries are merged by remapping later chunks' codes. */
function assemble(plans: FieldPlan[], chunks: ChunkResult[]): ColumnBatch {
  const rowCount = chunks.reduce((n, c) => n + c.rows, 0);
  const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
  plans.forEach((plan, i) => {
    const parts = chunks.map((c) => c.columns[i]);
    columns[plan.name] = plan.csvIndex < 0 ? nullColumn(plan, rowCount) : mergeColumn(parts as ChunkColumn[], rowCount);
  });
  return { rowCount, columns };
}

function nullColumn(plan: FieldPlan, rows: number): Column {
  const nulls = new Uint8Array(rows).fill(1);
  switch (plan.kind) {
    case 'string': return { type: 'string', dictionary: [], codes: new Int32Array(rows).fill(-1) };
    case 'int': return { type: 'int', values: new Int32Array(rows), nulls };
    case 'float': return { type: 'float', values: new Float32Array(rows), nulls };
    case 'boolean': return { type: 'boolean', values: new Uint8Array(rows), nulls };
    default: return { type: plan.kind, values: new Float64Array(rows), nulls };
  }
}

function mergeColumn(parts: ChunkColumn[], rows: number): Column {
  const head = parts[0];
  if (head.kind === 'string') {
    const strs = parts as Array<Extract<ChunkColumn, { kind: 'string' }>>;
    if (strs.length === 1) return stringColumn(head.codes, { data: head.dict.arena, offsets: head.dict.offs });
    const dict = head.live ?? ByteDict.fromData(head.dict);
    const codes = new Int32Array(rows);
    codes.set(head.codes);
    let off = head.codes.length;
    for (const part of strs.slice(1)) {
      const remap = dict.mergeFrom(part.dict), src = part.codes;
      for (let r = 0; r < src.length; r++) { const c = src[r]; codes[off + r] = c < 0 ? -1 : remap[c]; }
      off += src.length;
    }
    const { arena, offs } = dict.data();
    return stringColumn(codes, { data: arena, offsets: offs });
  }
  if (head.kind === 'utf8') {
    const raws = parts as Array<Extract<ChunkColumn, { kind: 'utf8' }>>;
    if (raws.length === 1) return rowStringColumn({ utf8: { data: head.data, offsets: head.offsets }, nulls: head.nulls });
    const data = new Uint8Array(raws.reduce((n, p) => n + p.offsets[p.offsets.length - 1], 0));
    const offsets = new Int32Array(rows + 1), nulls = raws.some((p) => p.nulls) ? new Uint8Array(rows) : null;
    let row = 0, at = 0;
    for (const p of raws) {
      const n = p.offsets.length - 1;
      data.set(p.data.subarray(0, p.offsets[n]), at);
      for (let r = 1; r <= n; r++) offsets[row + r] = p.offsets[r] + at;
      if (nulls && p.nulls) nulls.set(p.nulls, row);
      row += n; at += p.offsets[n];
    }
    return rowStringColumn({ utf8: { data, offsets }, nulls });
  }
  const nums = parts as Array<Exclude<ChunkColumn, { kind: 'string' | 'utf8' }>>, one = nums[0];
  if (nums.length === 1) return { type: one.kind, values: one.values, ...(one.nulls ? { nulls: one.nulls } : {}) } as Column;
  const values = new (one.values.constructor as new (n: number) => typeof one.values)(rows);
  const nulls = nums.some((p) => p.nulls) ? new Uint8Array(rows) : undefined;
  let off = 0;
  for (const p of nums) {
    values.set(p.values as never, off);
    if (nulls && p.nulls) nulls.set(p.nulls, off);
    off += p.values.length;
  }
  return { type: one.kind, values, ...(nulls ? { nulls } : {}) } as Column;
}
