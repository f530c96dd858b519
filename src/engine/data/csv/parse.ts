// Byte-level CSV tokenizer (RFC 4180 plus Personalize's \" and \\ escapes inside quotes): fills blocks of
// field offsets straight from a Buffer so that no string is made for a field unless a column needs one.

const QUOTE = 34, COMMA = 44, LF = 10, CR = 13, BACKSLASH = 92;

/**
 * Whether one of the 4 bytes packed in w is <= 44 (a byte the record loop must look at). Exact: a byte below
 * 45 borrows in the subtraction and keeps its top bit clear in w; a borrow only starts at such a byte, and
 * bytes >= 0x80 (UTF-8) are masked out by ~w.
 */
export function hasSpecialByte(w: number): boolean {
  return ((w - 0x2d2d2d2d) & ~w & 0x80808080) !== 0;
}

/** Records per block: big enough to amortise per-block work, small enough to stay in cache. */
export const BLOCK_RECORDS = 1024;

/**
 * One block of tokenized records as column builders read it: a RecordScanner, or a copy of its block in
 * shared memory (csv-ring.ts). Field f of record r is at starts[r*nf+f] .. ends[r*nf+f] (negative: ~scratch).
 */
export interface TokenBlock {
  readonly buf: Buffer;
  readonly view: DataView;
  readonly nf: number;
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly lines: Int32Array;
  readonly scratch: Buffer;
}

/** Where a record-level problem was found (line is the record's first physical line). */
export type StructuralIssueSink = (line: number, message: string) => void;

/**
 * Walks records that start in [start, limit) of `buf` (a record may run past `limit`, up to the end of the
 * buffer). After `nextBlock()`, record r of the block has field f at `starts[r*nf+f] .. ends[r*nf+f]`;
 * a negative start means the bytes are in `scratch` at `~start .. ~end` (a quoted field whose escapes
 * had to be undone). Records with the wrong field count or a malformed quote are reported and left out.
 * With `partial`, `buf` is one chunk of a file that goes on after it (cut right after a line end): a quoted
 * field still open at its end is not an error but `incomplete`, and `pos` stays at that record's start.
 */
export class RecordScanner implements TokenBlock {
  // Every field is given its final type in the constructor or at its declaration ("declare" emits no
  // field that starts as undefined): V8 keeps number fields unboxed then, and the byte loop runs ~25% faster.
  declare readonly buf: Buffer;
  declare readonly limit: number;
  declare readonly nf: number;
  declare readonly blockRecords: number;
  declare readonly starts: Int32Array;
  declare readonly ends: Int32Array;
  /** Physical line (1-based in the file when startLine was) where each record of the block starts. */
  declare readonly lines: Int32Array;
  /** The same bytes as buf, for reading several at once (column builders pack short keys with it). */
  declare readonly view: DataView;
  declare pos: number;
  declare line: number;
  private declare readonly onIssue: StructuralIssueSink;
  /** Header mode: keep whatever number of fields the record has (up to nf) instead of checking it. */
  private declare readonly anyFieldCount: boolean;
  /** More of the file follows buf (see the class comment). */
  private declare readonly partial: boolean;
  scratch: Buffer = Buffer.allocUnsafe(4096);
  /** Bytes of scratch used by the current block. */
  scratchUsed = 0;
  /** Records in the current block. */
  count = 0;
  /** Fields in the last record read (all of them, also when more than nf). */
  lastFieldCount = 0;
  /** Set by an unterminated quote: nothing after it can be tokenized reliably. */
  fatal = false;
  /** Set in partial mode by a record that runs past the end of buf: read it again with more bytes. */
  incomplete = false;
  // Out-parameters of quoted() and record(): field bounds (possibly ~scratch), position and line after.
  private qs = 0;
  private qe = 0;
  private qLine = 0;
  private qPos = 0;
  private qBad = false;

  constructor(buf: Buffer, start: number, limit: number, startLine: number, nf: number, onIssue: StructuralIssueSink,
    blockRecords = BLOCK_RECORDS, anyFieldCount = false, partial = false) {
    this.buf = buf;
    this.limit = limit;
    this.nf = nf;
    this.blockRecords = blockRecords;
    this.onIssue = onIssue;
    this.anyFieldCount = anyFieldCount;
    this.partial = partial;
    this.pos = start;
    this.line = startLine;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.starts = new Int32Array(blockRecords * nf);
    this.ends = new Int32Array(blockRecords * nf);
    this.lines = new Int32Array(blockRecords);
  }

  /** Reads the next block of records; false when no record starts before `limit` any more. */
  nextBlock(): boolean {
    this.count = 0;
    this.scratchUsed = 0;
    const buf = this.buf, len = buf.length, limit = this.limit, nf = this.nf, maxN = this.blockRecords;
    const starts = this.starts, ends = this.ends, lines = this.lines, view = this.view, last4 = len - 4;
    let p = this.pos, line = this.line, n = 0, lastF = this.lastFieldCount, fatal = this.fatal;
    while (n < maxN && p < limit && !fatal && !this.incomplete) {
      let c: number = buf[p];
      if (c === LF) { p++; line++; continue; } // empty line
      if (c === CR && p + 1 < len && buf[p + 1] === LF) { p += 2; line++; continue; }
      const recLine = line, base = n * nf, recStart = p;
      let f = 0, s = p, quoted = false;
      while (p <= last4 && !hasSpecialByte(view.getInt32(p, true))) p += 4;
      // The byte loop of unquoted records. Every byte that can end or start something (, \n \r ") is <= 44,
      // so one compare skips the rest; reading one past the end gives undefined, which lands in the checks.
      // Quoted fields are left to record() (a call in this loop would slow it down by a fifth).
      for (;;) {
        c = buf[p];
        if (c > COMMA) { p++; continue; }
        if (c === COMMA) {
          if (f < nf) { starts[base + f] = s; ends[base + f] = p; }
          f++; s = ++p;
          // Fields are mostly longer than 4 bytes: skip plain ones a word at a time (~25% faster overall).
          while (p <= last4 && !hasSpecialByte(view.getInt32(p, true))) p += 4;
          continue;
        }
        if (c === LF) {
          const e = p > s && buf[p - 1] === CR ? p - 1 : p; // CRLF line end
          if (f < nf) { starts[base + f] = s; ends[base + f] = e; }
          f++; p++; line++;
          break;
        }
        if (p >= len) { // the last record has no line end
          if (f < nf) { starts[base + f] = s; ends[base + f] = p; }
          f++;
          break;
        }
        if (c === QUOTE && p === s) { quoted = true; break; }
        p++; // a quote inside an unquoted value is literal, and so is a CR not before a LF
      }
      let bad = false;
      if (quoted) {
        f = this.record(recStart, recLine, base);
        if (this.incomplete) { p = recStart; line = recLine; break; } // the next chunk reads it whole
        p = this.qPos; line = this.qLine; bad = this.qBad;
        if (this.fatal) { fatal = true; break; }
      }
      lastF = f;
      if (this.anyFieldCount) {
        if (f > nf) { this.onIssue(recLine, `too many columns (${f}); at most ${nf} are supported`); bad = true; }
      } else if (f !== nf && !bad) {
        this.onIssue(recLine, `expected ${nf} fields, found ${f}; every row needs one value per header column ` +
          '(leave a value empty for null, and quote values that contain commas)');
        bad = true;
      }
      if (bad) continue;
      lines[n++] = recLine;
    }
    this.pos = p;
    this.line = line;
    this.count = n;
    this.lastFieldCount = lastF;
    this.fatal = fatal;
    return n > 0 || (p < limit && !fatal && !this.incomplete);
  }

  /** Tokenizes the whole record at `p` (any fields quoted); sets qPos, qLine, qBad, fatal; returns the field count. */
  private record(p: number, line: number, base: number): number {
    const buf = this.buf, len = buf.length, nf = this.nf, starts = this.starts, ends = this.ends, recLine = line;
    let f = 0, s = p, bad = false;
    for (;;) {
      let c = p < len ? buf[p] : -1;
      if (c === QUOTE && p === s) {
        p = this.quoted(p, line);
        if (p === -2) { this.incomplete = true; return f; } // nothing reported: the record is read again
        if (p < 0) { this.fatal = true; this.qPos = len; return f; }
        line = this.qLine;
        if (f < nf) { starts[base + f] = this.qs; ends[base + f] = this.qe; }
        f++;
        c = p < len ? buf[p] : -1;
        if (c === CR && p + 1 < len && buf[p + 1] === LF) c = buf[++p];
        if (c !== COMMA && c !== LF && c !== -1) {
          // Reported now, or in a partial buffer once the record is known to be whole (else it is read again).
          if (!bad && !this.partial) this.badAfterQuote(recLine);
          bad = true;
          while (p < len && buf[p] !== COMMA && buf[p] !== LF) p++;
          c = p < len ? buf[p] : -1;
        }
        if (c === COMMA) { s = ++p; continue; }
        if (c === LF) { p++; line++; }
        break;
      }
      while (p < len && (c = buf[p]) !== COMMA && c !== LF) p++;
      const e = p < len && c === LF && p > s && buf[p - 1] === CR ? p - 1 : p;
      if (f < nf) { starts[base + f] = s; ends[base + f] = e; }
      f++;
      if (p >= len) break;
      p++;
      if (c === LF) { line++; break; }
      s = p;
    }
    if (bad && this.partial) this.badAfterQuote(recLine);
    this.qPos = p; this.qLine = line; this.qBad = bad;
    return f;
  }

  private badAfterQuote(line: number): void {
    this.onIssue(line, 'unexpected character after the closing quote of a field; inside a quoted field ' +
      'write a quote as "" (or \\"), and quote the whole value');
  }

  /**
   * Parses the quoted field opening at `p`; returns the position after the closing quote, -1 if unterminated,
   * -2 if it runs past the end of a partial buffer.
   */
  private quoted(p: number, line: number): number {
    const buf = this.buf, len = buf.length, openLine = line;
    let q = p + 1, seg = q, inScratch = false, s0 = 0;
    for (;;) {
      if (q >= len) {
        if (this.partial) return -2;
        this.onIssue(openLine, 'a quoted field starting on this line is never closed; close it with " ' +
          '(write quotes inside quoted fields as "" or \\")');
        return -1;
      }
      const c = buf[q];
      if (c === QUOTE) {
        if (q + 1 < len && buf[q + 1] === QUOTE) { // "" is a literal quote
          if (!inScratch) { inScratch = true; s0 = this.scratchUsed; }
          this.append(seg, q + 1); q += 2; seg = q;
          continue;
        }
        break;
      }
      if (c === BACKSLASH && q + 1 < len && (buf[q + 1] === QUOTE || buf[q + 1] === BACKSLASH)) {
        if (!inScratch) { inScratch = true; s0 = this.scratchUsed; }
        this.append(seg, q); this.append(q + 1, q + 2); q += 2; seg = q;
        continue;
      }
      if (c === LF) line++;
      q++;
    }
    if (inScratch) {
      this.append(seg, q);
      this.qs = ~s0; this.qe = ~this.scratchUsed;
    } else {
      this.qs = p + 1; this.qe = q;
    }
    this.qLine = line;
    return q + 1;
  }

  private append(from: number, to: number): void {
    const n = to - from;
    if (this.scratchUsed + n > this.scratch.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratchUsed + n));
      this.scratch.copy(bigger, 0, 0, this.scratchUsed);
      this.scratch = bigger;
    }
    this.buf.copy(this.scratch, this.scratchUsed, from, to);
    this.scratchUsed += n;
  }
}

/**
 * Reads the header: the first non-empty record at `pos`. Names are decoded as UTF-8. With `partial` (more of
 * the file follows buf), 'incomplete' means the header runs past buf: read it again with more bytes.
 */
export function readHeaderRecord(buf: Buffer, pos: number, onIssue: StructuralIssueSink, maxColumns = 1000, partial = false):
  { names: string[]; headerLine: number; pos: number; line: number } | 'incomplete' | null {
  const sc = new RecordScanner(buf, pos, buf.length, 1, maxColumns, onIssue, 1, true, partial);
  const found = sc.nextBlock();
  if (sc.incomplete || (partial && sc.count === 0)) return 'incomplete';
  if (!found || sc.count === 0) return null;
  const names: string[] = [];
  for (let f = 0; f < sc.lastFieldCount; f++) {
    const s = sc.starts[f], e = sc.ends[f];
    names.push(s < 0 ? sc.scratch.toString('utf8', ~s, ~e) : buf.toString('utf8', s, e));
  }
  return { names, headerLine: sc.lines[0], pos: sc.pos, line: sc.line };
}

/**
 * Whether the records right after `pos` parse cleanly (a line start inside a quoted value rarely does).
 * With `partial` (more of the file follows buf), 'incomplete' when buf ends before 8 records were judged.
 */
export function plausibleStart(buf: Buffer, pos: number, nf: number, partial = false): boolean | 'incomplete' {
  let bad = false;
  const sc = new RecordScanner(buf, pos, buf.length, 0, nf, () => { bad = true; }, 8, false, partial);
  sc.nextBlock();
  if (bad || sc.fatal) return false;
  return partial && sc.count < 8 && (sc.incomplete || sc.pos >= buf.length) ? 'incomplete' : true;
}
