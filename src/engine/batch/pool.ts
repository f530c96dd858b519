// The batch pool: piscina worker threads that answer chunks of batch-job lines from a job's shared
// snapshot. Attached to its engine on first use, idle threads end after 30 s, closed with the engine.
import { Piscina } from 'piscina';
import type { Engine } from '../core/engine.js';
import { workerFile } from '../workers.js';
import type { AnswerSpec } from './answer-spec.js';

/**
 * One chunk of a job's lines (joined by '\n'; lines never hold line breaks) and what answers them;
 * `live`: the snapshots of jobs still running, so a worker drops the engines of finished ones.
 */
export interface ChunkTask { snapshot: SharedArrayBuffer; snapshotId: string; spec: AnswerSpec; lines: string; live: string[] }
/** The chunk's output lines, each ending in '\n', in input order; and the thread that answered them. */
export interface ChunkResult { text: string; threadId: number }

/** The engine's batch pool (`batchWorkers` threads), attached on first use so that it closes with the engine. */
export function batchPool(e: Engine): BatchPool {
  return e.attach('batch-pool', () => new BatchPool(e.opts.batchWorkers));
}

export class BatchPool {
  private pool: Piscina | null = null;
  private snapshots = 0;
  private readonly live = new Set<string>();
  constructor(readonly threads: number) {}

  /** An id for a job's snapshot: a worker rebuilds the job's engine once and keeps it until `release`. */
  open(): string {
    const id = `snapshot-${++this.snapshots}`;
    this.live.add(id);
    return id;
  }

  release(snapshotId: string): void {
    this.live.delete(snapshotId);
  }

  run(task: Omit<ChunkTask, 'live'>): Promise<ChunkResult> {
    this.pool ??= new Piscina({ filename: workerFile(import.meta.url, './worker.js'), minThreads: 0, maxThreads: this.threads, idleTimeout: 30_000 });
    return this.pool.run({ ...task, live: [...this.live] } satisfies ChunkTask) as Promise<ChunkResult>;
  }

  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.destroy();
  }
}
