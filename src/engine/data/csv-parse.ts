// Byte-level CSV tokenizer (RFC 4180 plus Personalize's \" and \\ escapes inside quotes): fills blocks of
// field offsets straight from a Buffer so that no string is made for a field unless a column needs one.

const QUOTE = 34, COMMA = 44, LF = 10, CR = 13, BACKSLASH = 92;

/** Records per block: big enough to amortise per-block work, small enough to stay in cache. */
export const BLOCK_RECORDS = 1024;

/** Where a record-level problem was found (line is the record's first physical line). */
export type StructuralIssueSink = (line: number, message: string) => void;

/**
 * Walks records that start in [start, limit) of `buf` (a record may run past `limit`, up to the end of the
 * buffer). After `nextBlock()`, record r of the block has field f at `starts[r*nf+f] .. ends[r*nf+f]`;
 * a negative start means the bytes are in `scratch` at `~start .. ~end` (a quoted field whose escapes
 * had to be undone). Records with the wrong field count or a malformed quote are reported and left out.
 */
export class RecordScanner {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Physical line (1-based in the file when startLine was) where each record of the block starts. */
  readonly lines: Int32Array;
  scratch: Buffer = Buffer.allocUnsafe(4096);
  private scratchUsed = 0;
  /** Records in the current block. */
  count = 0;
  /** Fields in the last record read (all of them, also when more than nf). */
  lastFieldCount = 0;
  /** Set by an unterminated quote: nothing after it can be tokenized reliably. */
  fatal = false;
  pos: number;
  line: number;
  // Out-parameters of quoted(): the field's bounds (possibly ~scratch) and the line after it.
  private qs = 0;
  private qe = 0;
  private qLine = 0;

  constructor(
    readonly buf: Buffer,
    start: number,
    readonly limit: number,
    startLine: number,
    readonly nf: number,
    private readonly onIssue: StructuralIssueSink,
    readonly blockRecords = BLOCK_RECORDS,
    /** Header mode: keep whatever number of fields the record has (up to nf) instead of checking it. */
    private readonly anyFieldCount = false,
  ) {
    this.pos = start;
    this.line = startLine;
    this.starts = new Int32Array(blockRecords * nf);
    this.ends = new Int32Array(blockRecords * nf);
    this.lines = new Int32Array(blockRecords);
  }

  /** Reads the next block of records; false when no record starts before `limit` any more. */
  nextBlock(): boolean {
    this.count = 0;
    this.scratchUsed = 0;
    const buf = this.buf, len = buf.length, limit = this.limit, nf = this.nf, maxN = this.blockRecords;
    const starts = this.starts, ends = this.ends, lines = this.lines;
    let p = this.pos, line = this.line, n = 0, lastF = this.lastFieldCount, fatal = this.fatal;
    while (n < maxN && p < limit && !fatal) {
      let c: number = buf[p];
      if (c === LF) { p++; line++; continue; } // empty line
      if (c === CR && p + 1 < len && buf[p + 1] === LF) { p += 2; line++; continue; }
      const recLine = line, base = n * nf;
      let f = 0, bad = false;
      for (;;) {
        let s = p, e: number;
        if (c === QUOTE) {
          p = this.quoted(p, line);
          if (p < 0) { fatal = true; p = len; break; }
          line = this.qLine; s = this.qs; e = this.qe;
          c = p < len ? buf[p] : -1;
          if (c === CR && p + 1 < len && buf[p + 1] === LF) c = buf[++p];
          if (c !== COMMA && c !== LF && c !== -1) {
            if (!bad) {
              this.onIssue(recLine, 'unexpected character after the closing quote of a field; inside a quoted field ' +
                'write a quote as "" (or \\"), and quote the whole value');
            }
            bad = true;
            while (p < len && buf[p] !== COMMA && buf[p] !== LF) p++;
            c = p < len ? buf[p] : -1;
          }
        } else {
          // Every byte that can end or start something (, \n \r ") is <= 44: one compare skips the rest.
          for (;;) {
            if (c > COMMA) { c = buf[++p]; continue; }
            if (c === COMMA || c === LF || p >= len) break;
            c = buf[++p];
          }
          e = p;
          if (c === LF && e > s && buf[e - 1] === CR) e--; // CRLF line end
        }
        if (f < nf) { starts[base + f] = s; ends[base + f] = e; }
        f++;
        if (p >= len) break;
        p++;
        if (c === COMMA) {
          if (p < len) { c = buf[p]; continue; }
          if (f < nf) { starts[base + f] = p; ends[base + f] = p; } // a trailing comma at the very end
          f++;
          break;
        }
        line++; // LF
        break;
      }
      if (fatal) break;
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
    return n > 0 || (p < limit && !fatal);
  }

  /** Parses the quoted field opening at `p`; returns the position after the closing quote, or -1 if unterminated. */
  private quoted(p: number, line: number): number {
    const buf = this.buf, len = buf.length, openLine = line;
    let q = p + 1, seg = q, inScratch = false, s0 = 0;
    for (;;) {
      if (q >= len) {
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

/** Reads the header: the first non-empty record at `pos`. Names are decoded as UTF-8. */
export function readHeaderRecord(buf: Buffer, pos: number, onIssue: StructuralIssueSink, maxColumns = 1000):
  { names: string[]; headerLine: number; pos: number; line: number } | null {
  const sc = new RecordScanner(buf, pos, buf.length, 1, maxColumns, onIssue, 1, true);
  if (!sc.nextBlock() || sc.count === 0) return null;
  const names: string[] = [];
  for (let f = 0; f < sc.lastFieldCount; f++) {
    const s = sc.starts[f], e = sc.ends[f];
    names.push(s < 0 ? sc.scratch.toString('utf8', ~s, ~e) : buf.toString('utf8', s, e));
  }
  return { names, headerLine: sc.lines[0], pos: sc.pos, line: sc.line };
}
