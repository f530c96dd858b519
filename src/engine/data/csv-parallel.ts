// Parallel parse of big imports: files are split at guessed record boundaries into chunks that worker
// threads parse from shared memory; every guess is verified against where the previous chunk ended.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerFile } from '../workers.js';
import { parseChunk, type ChunkResult, type ChunkTask } from './csv-chunk.js';
import type { FieldPlan } from './csv-columns.js';
import type { ChunkReply, ChunkRequest } from './csv-worker.js';

export interface SharedFile { buf: Buffer; data: SharedArrayBuffer; dataStart: number; startLine: number }

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

  private send(w: Worker, req: Omit<ChunkRequest, 'id'>): Promise<ChunkResult | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (result: ChunkResult | null, broken = false) => {
        w.off('message', onMessage); w.off('error', onError);
        if (broken) { this.live--; void w.terminate(); this.handOver(null); } else this.release(w);
        resolve(result);
      };
      const onMessage = (reply: ChunkReply) => { if (reply.id === id) done('result' in reply ? reply.result : null); };
      const onError = () => done(null, true);
      w.on('message', onMessage); w.on('error', onError);
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

/** Parse lanes available (threads that can parse at once). */
export function parseLanes(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

function getPool(): ParsePool | null {
  if (pool === undefined) {
    const file = workerFile(import.meta.url, './csv-worker.js');
    pool = existsSync(file) ? new ParsePool(file, Math.max(1, parseLanes() - 1)) : null;
  }
  return pool;
}

/** Chunk boundaries of one file's data: even cuts moved to the start of the next line. */
export function splitPoints(buf: Buffer, dataStart: number, pieces: number): number[] {
  const cuts = [dataStart];
  const size = buf.length - dataStart;
  for (let k = 1; k < pieces; k++) {
    const nl = buf.indexOf(10, dataStart + Math.floor((size * k) / pieces));
    if (nl < 0 || nl + 1 >= buf.length) break;
    if (nl + 1 > cuts[cuts.length - 1]) cuts.push(nl + 1);
  }
  cuts.push(buf.length);
  return cuts;
}

/**
 * Parses all files in chunks: the main thread takes the first chunk of each file and the workers the rest
 * (workers start while the main thread works). Returns each file's chunk results in order, with lines
 * and boundaries made right: a chunk whose guessed start was inside a quoted field is parsed again.
 */
export async function parseFilesParallel(files: SharedFile[], nf: number, maxIssues: number, fields: FieldPlan[]):
  Promise<ChunkResult[][] | null> {
  const workers = getPool();
  if (!workers) return null;
  const lanes = parseLanes();
  const plans = files.map((f) => {
    const cuts = splitPoints(f.buf, f.dataStart, lanes);
    return cuts.slice(0, -1).map((start, k): ChunkTask => ({ start, limit: cuts[k + 1], startLine: 0, nf, maxIssues, fields }));
  });
  const pending = new Map<ChunkTask, Promise<ChunkResult | null>>();
  files.forEach((f, i) => plans[i].forEach((task, k) => {
    if (k > 0) pending.set(task, workers.run({ data: f.data, length: f.buf.length, task }));
  }));
  const out: ChunkResult[][] = [];
  let issues = 0;
  for (let i = 0; i < files.length && issues < maxIssues; i++) {
    const f = files[i], results: ChunkResult[] = [];
    let pos = f.dataStart, line = f.startLine;
    for (const [k, task] of plans[i].entries()) {
      let res = k === 0 ? null : await pending.get(task)!;
      let given = task.startLine;
      if (!res || task.start !== pos) { // worker failed, or the guessed start was not where records start
        given = line;
        res = parseChunk(f.buf, { ...task, start: pos, startLine: line });
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
  await Promise.all(pending.values()); // let workers finish before the next import reuses them
  return out;
}
