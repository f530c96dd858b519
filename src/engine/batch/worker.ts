// Worker-thread entry of the batch pool: rebuilds a job's engine from its snapshot (once per job per
// thread) and answers a chunk of lines with the same per-line code as the inline path.
import { threadId } from 'node:worker_threads';
import { answerLine } from '../resources/batch-lines.js';
import { jobAnswer, type LineAnswer } from './answer.js';
import type { ChunkResult, ChunkTask } from './pool.js';
import { restoreEngine } from './snapshot.js';

// Up to five jobs run at once; a chunk of an evicted job just rebuilds its engine from the snapshot again.
const KEEP = 2;
const answers = new Map<string, LineAnswer>();

function answerOf(task: ChunkTask): LineAnswer {
  let answer = answers.get(task.snapshotId);
  if (!answer) {
    answer = jobAnswer(restoreEngine(task.snapshot), task.spec);
    if (answers.size >= KEEP) answers.delete(answers.keys().next().value!);
    answers.set(task.snapshotId, answer);
  }
  return answer;
}

export default function answerChunk(task: ChunkTask): ChunkResult {
  const answer = answerOf(task);
  let text = '';
  for (const raw of task.lines.split('\n')) text += answerLine(raw, answer) + '\n';
  return { text, threadId };
}
