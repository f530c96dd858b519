// Memory for whole CSV files, kept a while for the next import: on this kind of VM, faulting in fresh
// pages costs ~1 ms per MB, so re-reading a 33 MB file into new memory on every import is a real cost.
import { open } from 'node:fs/promises';

export interface FileBytes {
  buf: Buffer;
  /** The same bytes as shared memory (for parse workers), when asked for. */
  data: SharedArrayBuffer | null;
  /** What to hand back to releaseFile() once nothing reads `buf` any more. */
  backing: ArrayBuffer | SharedArrayBuffer;
}

const POOL_MIN_BYTES = 1 << 20;
const KEEP_MS = 30_000;
const MAX_SPARE_BYTES = 256 << 20;
let spare: Array<ArrayBuffer | SharedArrayBuffer> = [];
let timer: NodeJS.Timeout | null = null;

function take(size: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
  let best = -1;
  spare.forEach((b, i) => {
    if (b instanceof SharedArrayBuffer === shared && b.byteLength >= size && (best < 0 || b.byteLength < spare[best].byteLength)) best = i;
  });
  if (best >= 0) return spare.splice(best, 1)[0];
  return shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
}

/** Reads a whole file with one read call (fs.readFile reads in small pieces), into reused memory. */
export async function loadFile(path: string, shared: boolean): Promise<FileBytes> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const backing = size >= POOL_MIN_BYTES ? take(size, shared) : shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
    const buf = Buffer.from(backing, 0, size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return { buf: off === size ? buf : buf.subarray(0, off), data: shared ? (backing as SharedArrayBuffer) : null, backing };
  } finally {
    await fh.close();
  }
}

/** Keeps a file's memory for reuse (the biggest ones, up to MAX_SPARE_BYTES, for KEEP_MS). */
export function releaseFile(f: FileBytes): void {
  if (f.backing.byteLength < POOL_MIN_BYTES) return;
  spare.push(f.backing);
  spare.sort((a, b) => b.byteLength - a.byteLength);
  let total = 0;
  spare = spare.filter((b) => (total += b.byteLength) <= MAX_SPARE_BYTES);
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => { spare = []; timer = null; }, KEEP_MS);
  timer.unref();
}
