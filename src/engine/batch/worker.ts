// Worker-thread entry of the batch pool: rebuilds a job's engine from its snapshot (once per job per
// thread) and answers a chunk of lines with the same per-line code as the inline path.
import { threadId } from 'node:worker_threads';
import { answerLine } from './lines.js';
import { jobAnswer, type LineAnswer } from './answer.js';
import type { ChunkResult, ChunkTask } from './pool.js';
import { restoreEngine } from './snapshot.js';

// The answer function (and so the rebuilt engine) of each running job this thread has served.
const answers = new Map<string, LineAnswer>();

function answerOf(task: ChunkTask): LineAnswer {
  // Jobs that ended since the last chunk: their engines go (the thread itself ends after 30 s idle).
  for (const id of answers.keys()) if (id !== task.snapshotId && !task.live.includes(id)) answers.delete(id);
  let answer = answers.get(task.snapshotId);
  if (!answer) answers.set(task.snapshotId, (answer = jobAnswer(restoreEngine(task.snapshot), task.spec)));
  return answer;
}

export default function answerChunk(task: ChunkTask): ChunkResult {
  const answer = answerOf(task);
  let text = '';
  for (const raw of task.lines.split('\n')) text += answerLine(raw, answer) + '\n';
  return { text, threadId };
}
