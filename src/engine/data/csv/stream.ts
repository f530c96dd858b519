// A CSV file read in chunks with bounded memory: a window of the file that starts where asked and ends right
// after a line end (or at the end of the file), so that no field byte, quote pair, CRLF or UTF-8 character
// is ever cut. Byte positions inside a window are small; the file itself may be of any size.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Default bytes per chunk: big enough that reads cost little, small enough to stay near the caches. */
export const DEFAULT_CHUNK_BYTES = 4 << 20;

/** A record (or line) longer than this is refused rather than read into ever bigger memory. */
export const MAX_RECORD_BYTES = 1 << 30;

const LF = 10;

/** Counters of this thread (tests check that windows really ended inside records, read again whole in the next). */
export const streamStats = { windows: 0, rereads: 0 };

/** One chunk buffer kept for the next window (fresh pages cost ~1 ms per MB on this kind of VM). */
let spare: Buffer | null = null;

export class FileWindow {
  /** The window's bytes: file bytes [base, base + bytes.length), ending right after a line end unless `eof`. */
  bytes: Buffer = Buffer.alloc(0);
  /** File position of bytes[0]. */
  base = 0;
  /** The window reaches the end of the file. */
  eof = false;
  /** The window could not reach a line end within MAX_RECORD_BYTES. */
  tooLong = false;
  readonly size: number;
  private readonly fd: number;
  private buf: Buffer;
  /** Bytes of buf read from the file (the window plus what follows it up to the next line end). */
  private filled = 0;

  constructor(readonly path: string, readonly chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    const want = Math.max(16, Math.min(chunkBytes, Math.max(this.size, 16)));
    if (spare && spare.length >= want && spare.length <= 2 * want) { this.buf = spare; spare = null; } else this.buf = Buffer.allocUnsafe(want);
  }

  /**
   * Moves the window to start at file position `pos` (bytes already read are kept, not read again) and to
   * hold more than `need` bytes when the file has them (more than one chunk when a record needs it).
   * False when `pos` is at the end of the file.
   */
  load(pos: number, need = 0): boolean {
    const have = this.base + this.filled;
    if (pos >= this.base && pos <= have) {
      this.buf.copyWithin(0, pos - this.base, this.filled);
      this.filled = have - pos;
    } else this.filled = 0;
    this.base = pos;
    this.tooLong = false;
    for (;;) {
      while (this.filled < this.buf.length && this.base + this.filled < this.size) {
        const n = readSync(this.fd, this.buf, this.filled, this.buf.length - this.filled, this.base + this.filled);
        if (n === 0) break;
        this.filled += n;
      }
      const eof = this.base + this.filled >= this.size || this.filled < this.buf.length;
      const cut = eof ? this.filled : this.buf.lastIndexOf(LF, this.filled - 1) + 1;
      if (eof || cut > need) {
        streamStats.windows++;
        this.eof = eof;
        this.bytes = this.buf.subarray(0, cut);
        return this.filled > 0;
      }
      if (this.buf.length >= MAX_RECORD_BYTES) {
        this.tooLong = true;
        this.eof = false;
        this.bytes = this.buf.subarray(0, this.filled);
        return true;
      }
      const bigger = Buffer.allocUnsafe(Math.min(MAX_RECORD_BYTES, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
  }

  /** Loads exactly file bytes [pos, pos + len) (a window another thread chose), growing the buffer if needed. */
  loadExact(pos: number, len: number): Buffer {
    if (this.buf.length < len) this.buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, this.buf, got, len - got, pos + got);
      if (n === 0) throw new Error(`${this.path} ended while being read (was it changed during the import?)`);
      got += n;
    }
    this.base = pos; this.filled = len; this.eof = pos + len >= this.size;
    this.bytes = this.buf.subarray(0, len);
    return this.bytes;
  }

  /** Reads bytes [pos, pos + len) of the file into a new buffer (fewer at its end). */
  readAt(pos: number, len: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(len, this.size - pos)));
    let got = 0;
    while (got < out.length) {
      const n = readSync(this.fd, out, got, out.length - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    return out.subarray(0, got);
  }

  close(): void {
    closeSync(this.fd);
    if (this.buf.length <= 64 << 20 && (!spare || this.buf.length > spare.length)) spare = this.buf;
    this.bytes = Buffer.alloc(0);
  }
}
