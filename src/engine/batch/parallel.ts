// Streams a job's input files to the batch pool in chunks, with a bounded number in flight, and writes
// each chunk's answers to `<outDir>/<file name>.out` in input order: memory is the snapshot plus the
// chunks in flight, whatever the input's size.
import { createReadStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { outputStream } from '../data/location.js';
import type { BatchPool, ChunkResult, ChunkTask } from './pool.js';

/** In input order: a chunk's answers (to append to `out`), or the end of a file's output. */
type Pending = { out: WriteStream; result: Promise<ChunkResult> } | { out: WriteStream; end: true };

export interface ParallelRun {
  pool: BatchPool;
  task: Omit<ChunkTask, 'lines' | 'live'>;
  chunkLines: number;
  /** Chunks handed to the pool and not yet written; 2 per worker keeps every worker busy while the main thread writes. */
  inFlight: number;
}

/** Answer `files` on the pool; resolves with the threads that answered, rejects when a worker fails. */
export async function answerOnWorkers(run: ParallelRun, files: string[], outDir: string): Promise<Set<number>> {
  const threads = new Set<number>();
  const queue: Pending[] = [];
  let chunks = 0;
  // The oldest entry: written (or its file ended) once its answers are there.
  const settleHead = async (): Promise<void> => {
    const head = queue.shift()!;
    if ('end' in head) {
      await new Promise<void>((resolve, reject) => head.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      return;
    }
    chunks--;
    const r = await head.result.catch((err: Error) => { throw new Error(`A batch worker failed: ${err.message}`); });
    threads.add(r.threadId);
    if (!head.out.write(r.text)) await once(head.out, 'drain');
  };
  const outs: WriteStream[] = [];
  try {
    for (const file of files) {
      const out = outputStream(outDir, `${basename(file)}.out`);
      outs.push(out);
      out.on('error', () => {}); // reported by write/end to the waiting job
      const input = createReadStream(file);
      let chunk: string[] = [];
      const submit = async (): Promise<void> => {
        const result = run.pool.run({ ...run.task, lines: chunk.join('\n') });
        result.catch(() => {}); // rejections are awaited in order by settleHead; none may go unhandled before that
        queue.push({ out, result });
        chunk = [];
        chunks++;
        while (chunks >= run.inFlight) await settleHead();
      };
      try {
        for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
          if (!raw.trim()) continue;
          chunk.push(raw);
          if (chunk.length >= run.chunkLines) await submit();
        }
        if (chunk.length) await submit();
      } finally {
        input.destroy();
      }
      queue.push({ out, end: true });
    }
    while (queue.length) await settleHead();
    return threads;
  } catch (err) {
    // Let the chunks already handed out finish before the job reports its failure, and write nothing more.
    await Promise.allSettled(queue.map((p) => ('result' in p ? p.result : undefined)));
    for (const o of outs) o.destroy();
    throw err;
  }
}
