// One unit of CSV import work: the records starting in a byte range of one file, read in chunks, tokenized
// and turned into typed chunk columns. Runs the same on the main thread and in the parse workers.
import { BLOCK_RECORDS, RecordScanner } from './parse.js';
import { FileWindow, MAX_RECORD_BYTES, streamStats } from './stream.js';
import { makeBuilder, type ChunkColumn, type ColumnBuilder, type ChunkIssue, type FieldPlan, type StrictCheck } from './columns.js';
import type { TokenRing } from './ring.js';

export interface ChunkTask {
  /** The CSV file (every thread reads it itself: no file is ever held whole in memory). */
  path: string;
  /** File position of the first record (a record boundary, or a guess at one: see endPos). */
  start: number;
  /** Records starting at or after this file position belong to the next chunk. */
  limit: number;
  /** Bytes read at a time (a window ends at a line end; a longer record is still read whole). */
  chunkBytes: number;
  /** Line number given to the record at `start`; issue lines count from it. */
  startLine: number;
  /** Columns in the header. */
  nf: number;
  maxIssues: number;
  fields: FieldPlan[];
  /** Build only the fields marked here (default: all); the others come back as null columns. */
  build?: boolean[];
  /** Leave record-level issues (field counts, quotes) to another thread reading the same records. */
  quiet?: boolean;
  /** Expected distinct values per string field in this chunk: dictionaries sized for them never rehash. */
  keys?: number[];
  /** Expected records in the range (from a sample of the file): the columns' first size. */
  rowsHint?: number;
}

export interface ChunkResult {
  rows: number;
  /** File position where the last record ended: the next chunk is right only if it started exactly here. */
  endPos: number;
  /** Line number of the byte at endPos (counted from task.startLine). */
  endLine: number;
  /** Per plan field; null for fields absent from the header. */
  columns: Array<ChunkColumn | null>;
  /** Sorted by line, then column; at most maxIssues. */
  issues: ChunkIssue[];
  /** Stopped at maxIssues before the end of the range. */
  stopped: boolean;
}

/**
 * Tokenizes the task's records, a window of the file at a time, and builds its columns. With a ring, every
 * block is also published to the ring (before this thread converts it) for a worker building the other
 * columns (buildFromRing). The result does not depend on the chunk size: windows end at line ends, and a
 * record still open at a window's end (a quoted field with line breaks) is read again whole in the next.
 */
export function parseChunk(task: ChunkTask, strict?: Array<StrictCheck | undefined>, ring?: TokenRing): ChunkResult {
  const issues: ChunkIssue[] = [];
  const onIssue = task.quiet ? () => {} : (line: number, message: string) => { issues.push({ line, col: -1, message }); };
  const builders = makeBuilders(task, strict);
  const win = new FileWindow(task.path, task.chunkBytes);
  let rows = 0, stopped = false, pos = task.start, line = task.startLine, need = 0, reserved = 0;
  try {
    while (pos < task.limit && win.load(pos, need)) {
      if (win.tooLong) {
        onIssue(line, `a record starting on this line is longer than ${MAX_RECORD_BYTES >> 20} MiB, so a quoted field ` +
          'in it is most likely never closed; close it with " (write quotes inside quoted fields as "" or \\")');
        break;
      }
      const base = win.base, bytes = win.bytes;
      const sc = new RecordScanner(bytes, 0, Math.min(bytes.length, task.limit - base), line, task.nf, onIssue,
        BLOCK_RECORDS, false, !win.eof);
      let full = false;
      while (sc.nextBlock()) {
        ring?.publish(sc, base);
        if (rows + sc.count > reserved) reserved = reserveRows(builders, task, rows, rows + sc.count, base + sc.pos);
        for (const b of builders) b?.add(sc, rows, issues);
        rows += sc.count;
        // A whole block is converted before stopping, so the first maxIssues issues by line are all here.
        if (issues.length >= task.maxIssues) { stopped = base + sc.pos < task.limit; full = true; break; }
      }
      pos = base + sc.pos; line = sc.line;
      if (full || sc.fatal || win.eof) break;
      if (sc.incomplete) streamStats.rereads++;
      need = sc.incomplete && sc.pos === 0 ? bytes.length : 0; // a record longer than the window: read more
    }
  } finally {
    ring?.finish(); // also after an error: the consumer must not wait for blocks that will never come
    win.close();
  }
  return result(task, rows, pos, line, builders, issues, stopped);
}

/**
 * The worker's side of a ring: builds the task's columns (task.build) from the blocks the producer
 * publishes. Record-level issues, endPos and endLine are the producer's (here 0).
 */
export function buildFromRing(task: ChunkTask, ring: TokenRing): ChunkResult {
  const issues: ChunkIssue[] = [];
  const builders = makeBuilders(task);
  const win = new FileWindow(task.path, task.chunkBytes);
  let rows = 0, stopped = false, reserved = 0;
  try {
    for (let b = ring.next(win); b; b = ring.next(win)) {
      if (rows + b.count > reserved) reserved = reserveRows(builders, task, rows, rows + b.count, ring.position());
      for (const x of builders) x?.add(b, rows, issues);
      rows += b.count;
      ring.release();
      if (issues.length >= task.maxIssues) { stopped = true; ring.stop(); break; }
    }
  } finally {
    win.close();
  }
  return result(task, rows, 0, 0, builders, issues, stopped);
}

/**
 * Sizes the columns for the whole range, so that they are not grown by half again and cut to size at the end
 * (each a copy of a big import's columns): first from the sample's estimate, else (and when the rows pass it)
 * from the records read so far and how far into the range they reach (file position `pos`).
 */
function reserveRows(builders: Array<ColumnBuilder | null>, task: ChunkTask, rows: number, need: number, pos: number): number {
  const done = Math.max(1, pos - task.start);
  const projected = pos >= task.limit ? need : Math.ceil((need * (task.limit - task.start)) / done * 1.02) + 1024;
  const want = Math.max(need, rows === 0 && task.rowsHint ? task.rowsHint : projected);
  for (const b of builders) b?.reserve(want);
  return want;
}

function makeBuilders(task: ChunkTask, strict?: Array<StrictCheck | undefined>) {
  return task.fields.map((f, i) =>
    (f.csvIndex < 0 || (task.build && !task.build[i]) ? null : makeBuilder(f, strict?.[i], task.keys?.[i])));
}

function result(task: ChunkTask, rows: number, endPos: number, endLine: number, builders: Array<ColumnBuilder | null>,
  issues: ChunkIssue[], stopped: boolean): ChunkResult {
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  if (issues.length > task.maxIssues) issues.length = task.maxIssues;
  return { rows, endPos, endLine, columns: builders.map((b) => b?.finish(rows) ?? null), issues, stopped };
}

/** The buffers a chunk result can hand over to another thread without copying. */
export function transferables(res: ChunkResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: ArrayBufferView | null) => { if (a && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer); };
  for (const c of res.columns) {
    if (!c) continue;
    if (c.kind === 'string') { add(c.codes); add(c.dict.arena); add(c.dict.offs); add(c.dict.hashes); }
    else if (c.kind === 'utf8') { add(c.data); add(c.offsets); add(c.nulls); }
    else { add(c.values); add(c.nulls); }
  }
  return out;
}
