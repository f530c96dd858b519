// Worker-thread entry of parallel CSV import: parses a byte range of a CSV file (reading it in chunks
// itself), or builds columns from the token blocks of a ring, and sends the typed columns back by
// transfer (no row objects cross threads).
import { parentPort } from 'node:worker_threads';
import { buildFromRing, parseChunk, transferables, type ChunkTask } from './chunk.js';
import { TokenRing } from './ring.js';

/** With `ring`, the task's columns are built from the token blocks the main thread publishes there. */
export interface ChunkRequest { id: number; task: ChunkTask; ring?: SharedArrayBuffer }
export type ChunkReply = { id: number; result: import('./chunk.js').ChunkResult } | { id: number; error: string };

parentPort?.on('message', (msg: ChunkRequest) => {
  const ring = msg.ring ? new TokenRing(msg.task.nf, msg.ring) : null;
  try {
    const result = ring ? buildFromRing(msg.task, ring) : parseChunk(msg.task);
    for (const c of result.columns) if (c?.kind === 'string') delete c.live; // a main-thread shortcut only
    parentPort!.postMessage({ id: msg.id, result } satisfies ChunkReply, transferables(result));
  } catch (err) {
    ring?.abort(); // the main thread stops publishing and builds these columns itself
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChunkReply);
  }
});
