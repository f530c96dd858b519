// The engine's serving worker (option servingWorker): one thread that ranks GetRecommendations jobs
// (ranking-job.ts) over models it views in shared memory, while the calling thread serves other requests.
// Attached to the engine on first use; close() ends the thread.
import type { Engine } from '../core/engine.js';
import type { ServingModel } from '../store/model-store.js';
import type { BundleSource } from '../training/bundle.js';
import { WorkerRpc } from '../../lib/worker-rpc.js';
import { workerFile } from '../workers.js';
import type { RankedSlots, RankJob } from './ranking-job.js';

/** What the thread receives: the job, and the model's shared arrays the first time it sees the model. */
export interface WorkerRequest { modelArn: string; source?: BundleSource; job: RankJob }

class RankingWorker {
  private readonly rpc = new WorkerRpc<WorkerRequest, RankedSlots>(workerFile(import.meta.url, './ranking-thread.js'));
  /** Models the thread holds, by the source it was sent (a replaced model under the same ARN is sent again). */
  private readonly sent = new Map<string, BundleSource>();
  /**
   * Requests the thread holds at most; the calling thread ranks the others meanwhile. 1 measured best over HTTP
   * (bench/http.ts, child-process client: 0.19-0.26x bare vs 0.17-0.20x with 2, 0.14-0.18x inline).
   */
  queue = 1;

  /**
   * Whether the next request should go to the thread: only while it has fewer than `queue` in flight, so
   * the calling thread ranks the others itself and both cores rank (an answer is the same on either).
   */
  get ready(): boolean {
    return this.rpc.inFlight < this.queue;
  }

  rank(modelArn: string, m: ServingModel, job: RankJob): Promise<RankedSlots> {
    const source = m.bundle.source!;
    const known = this.sent.get(modelArn) === source;
    if (!known) this.sent.set(modelArn, source);
    return this.rpc.call({ modelArn, source: known ? undefined : source, job }).catch((err: unknown) => {
      this.sent.delete(modelArn); // a thread that failed starts again without the model
      throw err;
    });
  }

  async close(): Promise<void> {
    this.sent.clear();
    await this.rpc.close();
  }
}

/** The engine's serving worker, started on first use. */
export function rankingWorker(e: Engine): RankingWorker {
  return e.attach('ranking-worker', () => new RankingWorker());
}
