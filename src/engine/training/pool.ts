// The training pool: piscina worker threads, created on first use; `threads: 0` trains inline. Each job may
// use `trainingThreads` threads of its own (its team, lib/threads/team.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { workerFile } from '../workers.js';
import { dropSpare, spareThread, type SpareThread } from '../../lib/threads/side-task.js';
import { runTrainJob, servedModelUrl, transferablesOf, type TrainJob } from './train-job.js';

export class TrainingPool {
  private pool: Piscina | null = null;
  /** The served model's thread warm() started for the next job. */
  private spare: SpareThread | null = null;
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
   * the next job will train its served model on a side thread (train-job.ts servedModelAside), which starts now
   * too, when jobs may use more than one thread; train() hands it to that job.
   */
  warm(ahead: { servedModelThread?: boolean } = {}): void {
    if (this.threads === 0) return;
    if (ahead.servedModelThread && this.trainingThreads >= 2 && !this.spare) {
      try {
        this.spare = spareThread(servedModelUrl(import.meta.url));
      } catch {
        this.spare = null;
      }
    }
    if (this.warming) return;
    const pool = this.piscina();
    if (pool.threads.length > 0) return;
    const w: Promise<unknown> = pool.run(null, { name: 'warm' }).catch(() => undefined).finally(() => { if (this.warming === w) this.warming = null; });
    this.warming = w;
  }

  async train(job: TrainJob): Promise<Uint8Array> {
    job = { ...job, threads: job.threads ?? this.trainingThreads };
    const spare = this.spare;
    this.spare = null;
    if (this.threads === 0) return runTrainJob(job);
    if (spare) job.servedModelThread = spare;
    // The job goes to the worker warm() started once it is free, rather than to a second one started for it.
    if (this.warming) await this.warming;
    const transferList = [...transferablesOf(job.data), ...(spare ? [spare.port] : [])];
    return (await this.piscina().run(job, { transferList })) as Uint8Array;
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
    if (this.spare) dropSpare(this.spare);
    this.spare = null;
    if (p) await p.destroy();
  }
}
