// A ring of token blocks in shared memory: the main thread tokenizes the records once and publishes each
// block's field offsets here; a worker builds its columns from them instead of tokenizing the file again.
// Offsets are into the producer's current window of the file; the worker reads that window itself.
import { BLOCK_RECORDS, type RecordScanner, type TokenBlock } from './parse.js';
import type { FileWindow } from './stream.js';

// Header words; the two counters sit on separate cache lines so that each side writes only its own line.
const PRODUCED = 0, CONSUMED = 16, STATE = 32, HEADER_INTS = 48;
/** Producer finished: no block after the `produced` ones will come. */
export const RING_DONE = 1;
/** Consumer stopped early (enough issues, or an error): the producer goes on without publishing. */
export const RING_STOPPED = 2;
/** A block did not fit (scratch bytes) or a side stalled: the consumer's columns are incomplete. */
export const RING_ABORTED = 4;

const SLOTS = 8;
/** Unescaped quoted-field bytes one block may carry to the consumer; bigger blocks abort the ring. */
export const RING_SCRATCH_BYTES = 1 << 20;
/** A side that waits this long for the other without progress gives up (a crashed or killed worker). */
const STALL_MS = 60_000;
/** Polls before sleeping: a futex wait and wake cost more than a short spin when the other side is close. */
const SPIN = 2000;

/** Meta words of a slot: records, the window's file position (low and high 32 bits), its length, the block's end in it. */
const META = 5;
const EMPTY = Buffer.alloc(0);

/** Block `k` of the ring as the consumer reads it (the same shape for every slot keeps the builders monomorphic). */
class RingBlock implements TokenBlock {
  count = 0;
  buf: Buffer = EMPTY;
  view: DataView = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);
  constructor(readonly nf: number, readonly starts: Int32Array,
    readonly ends: Int32Array, readonly lines: Int32Array, readonly scratch: Buffer, readonly meta: Int32Array) {}
}

export class TokenRing {
  readonly sab: SharedArrayBuffer;
  private readonly head: Int32Array;
  private readonly blocks: RingBlock[] = [];
  private readonly scratchBytes: number;
  private produced = 0;
  private consumed = 0;

  /** Window the consumer holds (file position, length): blocks of the same window need no read. */
  private winBase = -1;
  private winLen = -1;
  private winBytes: Buffer = EMPTY;
  private winView: DataView = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);

  /** A new ring for records of nf fields (producer side), or one received from the producer (sab given). */
  constructor(readonly nf: number, sab?: SharedArrayBuffer, scratchBytes = RING_SCRATCH_BYTES) {
    const slotInts = META + 2 * BLOCK_RECORDS * nf + BLOCK_RECORDS;
    this.scratchBytes = sab ? (sab.byteLength - (HEADER_INTS + SLOTS * slotInts) * 4) / SLOTS : scratchBytes;
    // The OS hands out the zeroed pages lazily: scratch space nobody writes costs no memory.
    this.sab = sab ?? new SharedArrayBuffer((HEADER_INTS + SLOTS * slotInts) * 4 + SLOTS * scratchBytes);
    this.head = new Int32Array(this.sab, 0, HEADER_INTS);
    const n = BLOCK_RECORDS * nf;
    for (let k = 0; k < SLOTS; k++) {
      const at = (HEADER_INTS + k * slotInts) * 4, ints = (o: number, len: number) => new Int32Array(this.sab, at + o * 4, len);
      const scratch = Buffer.from(this.sab, (HEADER_INTS + SLOTS * slotInts) * 4 + k * this.scratchBytes, this.scratchBytes);
      this.blocks.push(new RingBlock(nf, ints(META, n), ints(META + n, n), ints(META + 2 * n, BLOCK_RECORDS), scratch, ints(0, META)));
    }
  }

  state(): number {
    return Atomics.load(this.head, STATE);
  }

  private flag(f: number): void {
    Atomics.or(this.head, STATE, f);
    Atomics.notify(this.head, PRODUCED);
    Atomics.notify(this.head, CONSUMED);
  }

  /** Waits until head[at] differs from `seen` or a state bit in `until` is set; false after STALL_MS without change. */
  private await(at: number, seen: number, until: number): boolean {
    const head = this.head;
    for (let i = 0; i < SPIN; i++) if (Atomics.load(head, at) !== seen || Atomics.load(head, STATE) & until) return true;
    const deadline = Date.now() + STALL_MS;
    while (Atomics.load(head, at) === seen && !(Atomics.load(head, STATE) & until)) {
      if (Date.now() > deadline) return false;
      Atomics.wait(head, at, seen, 1000);
    }
    return true;
  }

  /**
   * Producer: copies the scanner's current block into the next free slot (waiting for one if the ring is
   * full), with where its window is in the file (`base`: file position of the scanner's buf[0]).
   */
  publish(sc: RecordScanner, base: number): void {
    if (this.state() & (RING_STOPPED | RING_ABORTED)) return;
    if (sc.scratchUsed > this.scratchBytes) { this.flag(RING_ABORTED); return; }
    for (let c = Atomics.load(this.head, CONSUMED); this.produced - c >= SLOTS; c = Atomics.load(this.head, CONSUMED)) {
      if (!this.await(CONSUMED, c, RING_STOPPED | RING_ABORTED)) this.flag(RING_ABORTED);
      if (this.state() & (RING_STOPPED | RING_ABORTED)) return;
    }
    const b = this.blocks[this.produced % SLOTS], n = sc.count * sc.nf;
    b.starts.set(sc.starts.subarray(0, n));
    b.ends.set(sc.ends.subarray(0, n));
    b.lines.set(sc.lines.subarray(0, sc.count));
    if (sc.scratchUsed) sc.scratch.copy(b.scratch, 0, 0, sc.scratchUsed);
    b.meta[0] = sc.count;
    b.meta[1] = base % 2 ** 32 | 0;
    b.meta[2] = Math.floor(base / 2 ** 32);
    b.meta[3] = sc.buf.length;
    b.meta[4] = sc.pos;
    Atomics.store(this.head, PRODUCED, ++this.produced); // the store publishes the slot's contents
    Atomics.notify(this.head, PRODUCED);
  }

  /** Producer: no more blocks (also after an error, so that the consumer never waits in vain). */
  finish(): void {
    this.flag(RING_DONE);
  }

  abort(): void {
    this.flag(RING_ABORTED);
  }

  /**
   * Consumer: the next block, or null at the end (or when the ring was aborted), its bytes read through `win`
   * when its window is not the one held already. Call release() after use.
   */
  next(win: FileWindow): TokenBlock | null {
    for (;;) {
      const st = this.state(); // read before the counter: once DONE is seen, the count read after it is final
      if (st & RING_ABORTED) return null;
      if (Atomics.load(this.head, PRODUCED) > this.consumed) break;
      if (st & RING_DONE) return null;
      if (!this.await(PRODUCED, this.consumed, RING_DONE | RING_ABORTED)) { this.flag(RING_ABORTED); return null; }
    }
    const b = this.blocks[this.consumed % SLOTS];
    b.count = b.meta[0];
    const base = (b.meta[1] >>> 0) + b.meta[2] * 2 ** 32, len = b.meta[3];
    if (base !== this.winBase || len !== this.winLen) {
      this.winBytes = win.loadExact(base, len);
      this.winView = new DataView(this.winBytes.buffer, this.winBytes.byteOffset, this.winBytes.byteLength);
      this.winBase = base; this.winLen = len;
    }
    b.buf = this.winBytes; b.view = this.winView;
    return b;
  }

  /** Consumer: file position where the block from next() ends. */
  position(): number {
    return this.winBase + this.blocks[this.consumed % SLOTS].meta[4];
  }

  /** Consumer: hands the slot of the block from next() back to the producer. */
  release(): void {
    Atomics.store(this.head, CONSUMED, ++this.consumed);
    Atomics.notify(this.head, CONSUMED);
  }

  /** Consumer: stop taking blocks (the producer then keeps parsing its own columns only). */
  stop(): void {
    this.flag(RING_STOPPED);
  }
}
