// The training pool: piscina worker threads, created on first use; `threads: 0` trains inline. Each job may
// use `trainingThreads` threads of its own (its team, lib/threads/team.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { workerFile } from '../workers.js';
import { runTrainJob, transferablesOf, type TrainJob } from './train-job.js';

export class TrainingPool {
  private pool: Piscina | null = null;
  /** The no-op task that starts a worker (warm()), while it runs. */
  private warming: Promise<unknown> | null = null;
  constructor(private readonly threads: number | undefined, private readonly trainingThreads = 1) {}

  /** Where the last job ran, for logs and DescribeSolutionVersion-adjacent diagnostics. */
  get mode(): 'worker' | 'inline' {
    return this.threads === 0 ? 'inline' : 'worker';
  }

  /**
   * Start a worker now, when none is running, so that its start (a thread and the training modules: ~0.2 s) overlaps
   * what the caller does before train() (building the TrainingData) instead of following it. `servedModelThread`:
   * the job will train its served model on a side thread (train-job.ts servedModelAside), which starts too, when the
   * jobs may use more than one thread.
   */
  warm(ahead: { servedModelThread?: boolean } = {}): void {
    if (this.threads === 0 || this.warming) return;
    const pool = this.piscina();
    if (pool.threads.length > 0) return;
    const task = { servedModelThread: !!ahead.servedModelThread && this.trainingThreads >= 2 };
    const w: Promise<unknown> = pool.run(task, { name: 'warm' }).catch(() => undefined).finally(() => { if (this.warming === w) this.warming = null; });
    this.warming = w;
  }

  async train(job: TrainJob): Promise<Uint8Array> {
    job = { ...job, threads: job.threads ?? this.trainingThreads };
    if (this.threads === 0) return runTrainJob(job);
    // The job goes to the worker warm() started once it is free, rather than to a second one started for it.
    if (this.warming) await this.warming;
    return (await this.piscina().run(job, { transferList: transferablesOf(job.data) })) as Uint8Array;
  }

  private piscina(): Piscina {
    if (!this.pool) {
      const max = this.threads ?? Math.max(1, availableParallelism() - 1);
      this.pool = new Piscina({ filename: workerFile(import.meta.url, './worker.js'), minThreads: 0, maxThreads: max, idleTimeout: 30_000 });
    }
    return this.pool;
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    this.warming = null;
    if (p) await p.destroy();
  }
}
