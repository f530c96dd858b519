// Parallel parse of big imports on the main thread plus workers, each reading the files in chunks itself:
// by columns (this thread tokenizes every record and hands the offsets to a worker, each builds its own
// columns) or by rows (byte ranges cut at guessed record boundaries, each guess verified against where the
// previous range ended, dictionaries merged).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { othersBusyCores, watchLoad } from '../../../lib/cpu-load.js';
import { Worker } from 'node:worker_threads';
import { workerFile } from '../../workers.js';
import { parseChunk, type ChunkResult, type ChunkTask } from './chunk.js';
import { FileWindow } from './stream.js';
import { lineFeedFrom, plausibleAt } from './probe.js';
import type { FieldPlan } from './columns.js';
import type { ChunkReply, ChunkRequest } from './worker.js';
import { RING_ABORTED, TokenRing } from './ring.js';
import { distinctIn } from './balance.js';

/** A CSV file to parse: its size, and where its records start (after the header). */
export interface DataFile { path: string; size: number; dataStart: number; startLine: number }

const IDLE_MS = 30_000;

/** Long-lived parse workers: started on first use, unref'd while idle, ended after IDLE_MS unused. */
class ParsePool {
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker | null) => void> = [];
  private live = 0;
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly file: string, private readonly size: number) {}

  /** Posts the task at once when a worker is free (so it runs while the main thread parses its own chunk). */
  run(req: Omit<ChunkRequest, 'id'>): Promise<ChunkResult | null> {
    const w = this.acquire();
    return w instanceof Worker ? this.send(w, req) : w.then((x) => (x ? this.send(x, req) : null));
  }

  /** Like run(), but only when a worker can take the task right away (a ring producer must not wait for one). */
  runNow(req: Omit<ChunkRequest, 'id'>): Promise<ChunkResult | null> | null {
    if (!this.idle.length && this.live >= this.size) return null;
    return this.run(req);
  }

  private send(w: Worker, req: Omit<ChunkRequest, 'id'>): Promise<ChunkResult | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (result: ChunkResult | null, broken = false) => {
        w.off('message', onMessage); w.off('error', onError); w.off('exit', onError);
        if (broken) { this.live--; void w.terminate(); this.handOver(null); } else this.release(w);
        resolve(result);
      };
      const onMessage = (reply: ChunkReply) => { if (reply.id === id) done('result' in reply ? reply.result : null); };
      const onError = () => done(null, true);
      w.on('message', onMessage); w.on('error', onError); w.on('exit', onError);
      w.ref();
      w.postMessage({ id, ...req } satisfies ChunkRequest);
    });
  }

  private acquire(): Worker | Promise<Worker | null> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const w = this.idle.pop();
    if (w) return w;
    if (this.live < this.size) {
      this.live++;
      const worker = new Worker(this.file);
      worker.on('error', () => {}); // reported to the running task; keeps a crash from being unhandled
      return worker;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  started(): boolean {
    return this.live > 0;
  }

  private handOver(w: Worker | null): void {
    const next = this.waiting.shift();
    if (next) next(w ?? null);
  }

  private release(w: Worker): void {
    if (this.waiting.length) { this.handOver(w); return; }
    w.unref();
    this.idle.push(w);
    if (this.idle.length === this.live && !this.timer) {
      this.timer = setTimeout(() => { for (const x of this.idle.splice(0)) void x.terminate(); this.live = 0; this.timer = null; }, IDLE_MS);
      this.timer.unref();
    }
  }
}

let pool: ParsePool | null | undefined;

/** Counters of the parallel path (tests check that workers ran, and that bad cut guesses and ring overflows were caught). */
export const parallelStats = { workerChunks: 0, reparsedChunks: 0, ringFallbacks: 0 };

/** Parse lanes available (threads that can parse at once). */
export function parseLanes(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * Whether a second core looks free: measured here, splitting the parse while another process keeps a core
 * busy is much slower than parsing on one thread (both halves share a core, then the merge comes on top).
 * Our own recent work (an import just before, training) does not count against it.
 */
export function coresLookFree(): boolean {
  watchLoad(); // usually started by the engine already; here for direct callers, from their next import on
  return parseLanes() > 1 && othersBusyCores() < parseLanes() - 1.5;
}

/** Whether parse workers are already running (then even mid-size inputs are worth splitting). */
export function workersWarm(): boolean {
  return !!pool && pool.started();
}

function getPool(): ParsePool | null {
  if (pool === undefined) {
    const file = workerFile(import.meta.url, './worker.js');
    pool = existsSync(file) ? new ParsePool(file, Math.max(1, parseLanes() - 1)) : null;
  }
  return pool;
}

/**
 * Range boundaries of one file's data: even cuts moved to the start of a line whose next records parse
 * cleanly (given nf). Still a guess: parseFilesParallel checks every cut against where records really end.
 */
export function splitPoints(path: string, dataStart: number, pieces: number, nf = 0): number[] {
  const win = new FileWindow(path, 64 << 10);
  try {
    const cuts = [dataStart], size = win.size, span = size - dataStart;
    for (let k = 1; k < pieces; k++) {
      let nl = lineFeedFrom(win, dataStart + Math.floor((span * k) / pieces));
      for (let tries = 0; nf > 0 && nl >= 0 && tries < 64 && !plausibleAt(win, nl + 1, nf); tries++) nl = lineFeedFrom(win, nl + 1);
      if (nl < 0 || nl + 1 >= size) break;
      if (nl + 1 > cuts[cuts.length - 1]) cuts.push(nl + 1);
    }
    cuts.push(size);
    return cuts;
  } finally {
    win.close();
  }
}

/** Files smaller than this are not cut (each still goes to one lane as a whole). */
const MIN_SPLIT_BYTES = 1 << 20;

/**
 * Parses all files in chunks spread over the main thread and the workers by bytes (the main thread parses
 * its share while the workers run). Returns each file's chunk results in order, with lines and boundaries
 * made right: a chunk whose guessed start was not a record start is parsed again from the right place.
 */
export async function parseFilesParallel(files: DataFile[], nf: number, maxIssues: number, fields: FieldPlan[],
  chunkBytes: number): Promise<ChunkResult[][] | null> {
  const workers = getPool();
  if (!workers) return null;
  const lanes = Math.max(2, parseLanes());
  const plans = files.map((f) => {
    const cuts = splitPoints(f.path, f.dataStart, f.size - f.dataStart >= MIN_SPLIT_BYTES ? lanes : 1, nf);
    return cuts.slice(0, -1).map((start, k): ChunkTask =>
      ({ path: f.path, start, limit: cuts[k + 1], chunkBytes, startLine: k === 0 ? f.startLine : 0, nf, maxIssues, fields }));
  });
  const total = files.reduce((n, f) => n + f.size, 0);
  let mainBytes = 0;
  const mine: Array<[number, ChunkTask]> = [];
  const running = plans.map((tasks, i) => tasks.map((task) => {
    if (mainBytes + (task.limit - task.start) / 2 <= total / lanes) { // the main thread's share
      mainBytes += task.limit - task.start;
      mine.push([i, task]);
      return null;
    }
    return workers.run({ task });
  }));
  const done = new Map<ChunkTask, ChunkResult>();
  for (const [, task] of mine) done.set(task, parseChunk(task));

  const out: ChunkResult[][] = [];
  let issues = 0;
  for (let i = 0; i < files.length && issues < maxIssues; i++) {
    const f = files[i], results: ChunkResult[] = [];
    let pos = f.dataStart, line = f.startLine;
    for (const [k, task] of plans[i].entries()) {
      let res = done.get(task) ?? (await running[i][k]);
      if (running[i][k] && res) parallelStats.workerChunks++;
      let given = task.startLine;
      if (!res || task.start !== pos) { // a worker failed, or the guessed start was not where a record starts
        given = line;
        res = parseChunk({ ...task, start: pos, startLine: line });
        parallelStats.reparsedChunks++;
      }
      const shift = line - given;
      if (shift) { for (const x of res.issues) x.line += shift; res.endLine += shift; }
      results.push(res);
      issues += res.issues.length;
      pos = res.endPos; line = res.endLine;
      if (res.stopped || issues >= maxIssues) break;
    }
    out.push(results);
  }
  await Promise.all(running.flat()); // let the workers finish before the next import reuses them
  return out;
}

/**
 * Parses every file on both threads at once: this thread tokenizes the records, builds the columns not
 * marked in `worker` and reports record-level issues; it publishes each block of field offsets (with where its
 * window of the file is) to a ring in shared memory, from which the worker builds the marked columns, reading
 * the same window of the file itself. No dictionary is merged, nothing is tokenized twice, and the result
 * does not depend on timing: both sides see the same blocks in order.
 */
export async function parseFilesByColumns(files: DataFile[], nf: number, maxIssues: number, fields: FieldPlan[],
  worker: boolean[], chunkBytes: number, hints: { keys?: number[]; rows?: number } = {}): Promise<ChunkResult[][] | null> {
  const workers = getPool();
  if (!workers) return null;
  const total = files.reduce((n, f) => n + f.size - f.dataStart, 0);
  const out: ChunkResult[][] = [];
  for (const f of files) {
    const share = (f.size - f.dataStart) / Math.max(1, total), rows = Math.ceil((hints.rows ?? 0) * share * 1.02);
    const keys = hints.keys?.map((u) => distinctIn(u, rows));
    const task: ChunkTask = { path: f.path, start: f.dataStart, limit: f.size, chunkBytes, startLine: f.startLine, nf,
      maxIssues, fields, ...(keys && rows ? { keys } : {}), ...(rows ? { rowsHint: rows } : {}) };
    const theirs: ChunkTask = { ...task, build: worker, quiet: true };
    const ring = new TokenRing(nf);
    const running = workers.runNow({ task: theirs, ring: ring.sab });
    if (!running) return null; // no worker free right now (another import has it): parse on one thread
    const m = parseChunk({ ...task, build: worker.map((w) => !w) }, undefined, ring);
    let w = await running;
    if (w && !(ring.state() & RING_ABORTED)) parallelStats.workerChunks++;
    else { // the worker failed, or a block did not fit the ring: build its part here (reading the file again)
      w = parseChunk(theirs);
      parallelStats.ringFallbacks++;
    }
    const issues = [...m.issues, ...w.issues].sort((a, b) => a.line - b.line || a.col - b.col).slice(0, maxIssues);
    const columns = m.columns.map((c, k) => (worker[k] ? w.columns[k] : c));
    out.push([{ ...m, columns, issues, stopped: m.stopped || w.stopped }]);
    if (issues.length >= maxIssues) break;
  }
  return out;
}
