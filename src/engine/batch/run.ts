// How a batch job answers its input files: on the calling thread when the input is small (starting
// workers would cost more than it saves), else on the batch pool from a snapshot of what it reads.
import type { Engine } from '../core/engine.js';
import { answerLines, hasLines } from './lines.js';
import { jobAnswer, type AnswerSpec } from './answer.js';
import { answerOnWorkers } from './parallel.js';
import { batchPool } from './pool.js';
import { takeSnapshot } from './snapshot.js';

const MIN_CHUNK = 16;

/** Where a job's lines were answered: the main thread (threadId 0) or these worker threads. */
export interface AnsweredOn { mode: 'inline' | 'worker'; threadIds: number[] }

/**
 * Answer every file into `<outDir>/<file name>.out`. `maxChunkLines`: lines per task on the workers at
 * most (a segment line scores every user, so segment jobs send fewer per chunk than inference jobs).
 */
export async function answerFiles(e: Engine, spec: AnswerSpec, files: string[], outDir: string, maxChunkLines: number): Promise<AnsweredOn> {
  const workers = e.opts.batchWorkers;
  const minLines = e.opts.batchParallelMinLines;
  if (workers > 0 && (await hasLines(files, minLines))) {
    const snapshot = takeSnapshot(e, spec.solutionVersionArn, spec.filterArn);
    const pool = batchPool(e);
    const task = { snapshot, snapshotId: pool.open(), spec };
    // An input just over the threshold is still cut into 4 chunks per worker, so that every worker has work;
    // never below MIN_CHUNK lines, where messages between threads would cost more than the answers.
    const chunkLines = Math.max(MIN_CHUNK, Math.min(maxChunkLines, Math.floor(minLines / (4 * workers))));
    try {
      const threads = await answerOnWorkers({ pool, task, chunkLines, inFlight: 2 * workers }, files, outDir);
      return { mode: 'worker', threadIds: [...threads].sort((a, b) => a - b) };
    } finally {
      pool.release(task.snapshotId);
    }
  }
  const answer = jobAnswer(e, spec);
  for (const f of files) await answerLines(f, outDir, answer);
  return { mode: 'inline', threadIds: [0] };
}
