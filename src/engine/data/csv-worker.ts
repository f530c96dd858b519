// Worker-thread entry of parallel CSV import: parses one chunk of a file shared through a
// SharedArrayBuffer and sends the typed columns back by transfer (no row objects cross threads).
import { parentPort } from 'node:worker_threads';
import { parseChunk, transferables, type ChunkTask } from './csv-chunk.js';

export interface ChunkRequest { id: number; data: SharedArrayBuffer; length: number; task: ChunkTask }
export type ChunkReply = { id: number; result: import('./csv-chunk.js').ChunkResult } | { id: number; error: string };

parentPort?.on('message', (msg: ChunkRequest) => {
  try {
    const result = parseChunk(Buffer.from(msg.data, 0, msg.length), msg.task);
    for (const c of result.columns) if (c?.kind === 'string') delete c.live; // a main-thread shortcut only
    parentPort!.postMessage({ id: msg.id, result } satisfies ChunkReply, transferables(result));
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies ChunkReply);
  }
});
