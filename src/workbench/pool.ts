// Runs the jobs (configurations x seeds) on worker threads, one per core by default (evaluation serves no
// requests, so every core trains), or inline with workers = 0. Results come back in job order.
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { workerFile } from '../engine/workers.js';
import { runJob, type JobResult, type JobSpec } from './job.js';

export type JobProgress = (index: number, stage: 'queued' | 'train' | 'evaluate' | 'serve' | 'done', fraction: number, result?: JobResult) => void;

export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runJobs(specs: JobSpec[], workers: number, progress: JobProgress = () => {}): Promise<JobResult[]> {
  if (workers === 0) {
    const out: JobResult[] = [];
    for (const s of specs) {
      // Let the caller's progress output reach the terminal between jobs.
      await new Promise((r) => setImmediate(r));
      const result = runJob(s, (stage, f) => progress(s.index, stage, f));
      progress(s.index, 'done', 1, result);
      out.push(result);
    }
    return out;
  }
  const threads = Math.max(1, Math.min(workers, specs.length));
  const pool = new Piscina({ filename: workerFile(import.meta.url, './worker.js'), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  try {
    return await Promise.all(specs.map(async (spec) => {
      const { port1, port2 } = new MessageChannel();
      port2.on('message', (m: { stage: 'train' | 'evaluate' | 'serve'; fraction: number }) => progress(spec.index, m.stage, m.fraction));
      try {
        const result = (await pool.run({ spec, port: port1 }, { transferList: [port1] })) as JobResult;
        progress(spec.index, 'done', 1, result);
        return result;
      } finally {
        port2.close();
      }
    }));
  } finally {
    await pool.destroy();
  }
}
