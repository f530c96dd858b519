// Looking at a CSV file at chosen places without reading it whole: where the next line starts, and whether
// records parse cleanly from a place (cut points for threads, sample windows). Windows grow until they
// answer, so the answers are those a reader of the whole file would give.
import { plausibleStart } from './parse.js';
import type { FileWindow } from './stream.js';

const LF = 10;

/** File position of the first line feed at or after `pos`, or -1 when there is none. */
export function lineFeedFrom(win: FileWindow, pos: number): number {
  if (pos >= win.size || !win.load(pos) || win.tooLong) return -1;
  const i = win.bytes.indexOf(LF); // a window ends right after a line feed unless it reaches the end of the file
  return i < 0 ? -1 : win.base + i;
}

/** plausibleStart at file position `pos`, read through `win`. */
export function plausibleAt(win: FileWindow, pos: number, nf: number): boolean {
  if (pos >= win.size) return true;
  for (let need = 0; ;) {
    if (!win.load(pos, need) || win.tooLong) return false;
    const r = plausibleStart(win.bytes, 0, nf, !win.eof);
    if (r !== 'incomplete') return r;
    need = win.bytes.length;
  }
}
