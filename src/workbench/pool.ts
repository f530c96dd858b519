// Runs the jobs (configurations x seeds) on worker threads, one per core by default (evaluation serves no
// requests, so every core trains), or inline with workers = 0. The threads start when the pool is made, so
// they boot while the main thread parses the CSV files. Results come back in job order, whatever the order
// jobs ran in (the longest are started first, so no thread idles at the end behind one long job).
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { workerFile } from '../engine/workers.js';
import { runJob, type JobResult, type JobSpec } from './job.js';

export type JobProgress = (index: number, stage: 'train' | 'evaluate' | 'serve' | 'done', fraction: number, result?: JobResult) => void;

export function defaultWorkers(): number {
  return availableParallelism();
}

/** Relative training cost of a recipe's job, for the order jobs start in (not for results). */
const COST: Record<string, number> = {
  'aws-similar-items': 4, 'aws-user-personalization': 3, 'aws-user-personalization-v2': 3, 'aws-personalized-ranking': 3,
  'aws-personalized-ranking-v2': 3, 'aws-sims': 2, 'aws-trending-now': 0.2, 'aws-popularity-count': 0.1,
};
const costOf = (s: JobSpec) => (COST[s.recipe] ?? 2) * (s.tuning ? 8 : 1) * (s.served ? 1.2 : 1);

export class JobPool {
  private readonly pool: Piscina | null;

  constructor(readonly workers: number) {
    this.pool = workers === 0 ? null : new Piscina({
      filename: workerFile(import.meta.url, './worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 1000,
    });
  }

  async run(specs: JobSpec[], progress: JobProgress = () => {}): Promise<JobResult[]> {
    const order = [...specs].sort((a, b) => costOf(b) - costOf(a) || a.index - b.index);
    const results = new Map<number, JobResult>();
    if (!this.pool) {
      for (const s of order) {
        // Let the caller's progress output reach the terminal between jobs.
        await new Promise((r) => setImmediate(r));
        const result = runJob(s, (stage, f) => progress(s.index, stage, f));
        progress(s.index, 'done', 1, result);
        results.set(s.index, result);
      }
    } else {
      const pool = this.pool;
      await Promise.all(order.map(async (spec) => {
        const { port1, port2 } = new MessageChannel();
        port2.on('message', (m: { stage: 'train' | 'evaluate' | 'serve'; fraction: number }) => progress(spec.index, m.stage, m.fraction));
        try {
          const result = (await pool.run({ spec, port: port1 }, { transferList: [port1] })) as JobResult;
          progress(spec.index, 'done', 1, result);
          results.set(spec.index, result);
        } finally {
          port2.close();
        }
      }));
    }
    return specs.map((s) => results.get(s.index)!);
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
