// The training pool: piscina worker threads, created on first use; `threads: 0` trains inline. Each job may
// use `trainingThreads` threads of its own (its team, lib/threads/team.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { workerFile } from '../workers.js';
import { runTrainJob, transferablesOf, type TrainJob } from './train-job.js';

export class TrainingPool {
  private pool: Piscina | null = null;
  constructor(private readonly threads: number | undefined, private readonly trainingThreads = 1) {}

  /** Where the last job ran, for logs and DescribeSolutionVersion-adjacent diagnostics. */
  get mode(): 'worker' | 'inline' {
    return this.threads === 0 ? 'inline' : 'worker';
  }

  async train(job: TrainJob): Promise<Uint8Array> {
    job = { ...job, threads: job.threads ?? this.trainingThreads };
    if (this.threads === 0) return runTrainJob(job);
    if (!this.pool) {
      const max = this.threads ?? Math.max(1, availableParallelism() - 1);
      this.pool = new Piscina({ filename: workerFile(import.meta.url, './worker.js'), minThreads: 0, maxThreads: max, idleTimeout: 30_000 });
    }
    return (await this.pool.run(job, { transferList: transferablesOf(job.data) })) as Uint8Array;
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.destroy();
  }
}
