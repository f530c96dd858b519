// Atomic file writes: write a temporary file, flush it, rename over the target. A crash leaves the
// old file or the new one, never half of either.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;
/** The temporary file beside `path` a write goes to before its rename (unique within this process). */
const tempPath = (path: string): string => `${path}.${process.pid}.${++counter}.tmp`;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  writeFileAtomicWith(path, (put) => put(buf));
}

/** The same, with the bytes handed over in pieces (`write` calls `put` in order): a big file is never whole in memory. */
export function writeFileAtomicWith(path: string, write: (put: (bytes: Uint8Array) => void) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'wx'); // a fresh file: never through a link left at that name
  try {
    write((buf) => {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    });
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * writeFileAtomic off the calling thread (libuv's pool writes and flushes): for big files written while the engine
 * serves, e.g. a model file (hundreds of MB at 25M interactions: seconds on a slow disk).
 */
export async function writeFileAtomicAsync(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  const fh = await open(tmp, 'wx');
  try {
    for (let off = 0; off < data.length;) off += (await fh.write(data, off, data.length - off)).bytesWritten;
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}
