// An append-only file of length-prefixed frames, flushed before each append returns: streamed records
// (PutEvents, PutItems, ...) cost O(their size) on disk instead of a rewrite of every row before them.
// A frame cut short by a crash mid-append was never acknowledged: reading stops before it, and the log is
// cut back to its complete frames before anything is appended after it.
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const HEADER = 4;

/** Appends one frame ([u32 LE length][bytes]) and flushes it to disk. */
export function appendFrame(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const frame = frameFile([bytes]);
  const fd = openSync(path, 'a');
  const before = fstatSync(fd).size;
  try {
    let off = 0;
    while (off < frame.length) off += writeSync(fd, frame, off, frame.length - off);
    fsyncSync(fd);
  } catch (err) {
    // A failed append (disk full) must not leave a partial frame for later appends to follow.
    try { ftruncateSync(fd, before); } catch { /* the read side still stops at a torn frame */ }
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** Every complete frame of the file, in order ([] when the file does not exist). */
export function readFrames(path: string): Uint8Array[] {
  return scan(path).frames;
}

/** readFrames, and a torn tail cut off the file, so that the next append follows the last complete frame. */
export function recoverFrames(path: string): Uint8Array[] {
  const { frames, complete, size } = scan(path);
  if (complete < size) truncateSync(path, complete);
  return frames;
}

function scan(path: string): { frames: Uint8Array[]; complete: number; size: number } {
  if (!existsSync(path)) return { frames: [], complete: 0, size: 0 };
  const buf = readFileSync(path);
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const len = buf.readUInt32LE(at);
    if (at + HEADER + len > buf.length) break; // torn tail
    frames.push(buf.subarray(at + HEADER, at + HEADER + len));
    at += HEADER + len;
  }
  return { frames, complete: at, size: buf.length };
}

/** A log holding exactly these frames, replacing any earlier file atomically. */
export function frameFile(frames: Uint8Array[]): Uint8Array {
  const total = frames.reduce((s, f) => s + HEADER + f.length, 0);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const f of frames) {
    out.writeUInt32LE(f.length, at);
    out.set(f, at + HEADER);
    at += HEADER + f.length;
  }
  return out;
}
