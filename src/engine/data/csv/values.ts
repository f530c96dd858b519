// Field values from raw bytes: numbers and booleans parsed without making strings, UTF-8 character
// counts and cuts for Personalize's length rules, and values shown in issue messages.

export const FLOAT_MAX = 3.4028234663852886e38;
/** Exact powers of ten (up to 10^22, the largest a double holds exactly). */
export const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const FLOAT_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Shows a value in a message: quoted, cut to a readable length. */
export function showValue(src: Uint8Array, s: number, e: number): string {
  const text = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('utf8', s, Math.min(e, s + 80));
  return JSON.stringify(e - s > 80 ? text + '...' : text);
}

/** Characters (code points) of UTF-8 bytes: every byte that is not a continuation byte starts one. */
export function countChars(src: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((src[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** Byte offset where character number `chars` starts (e when the value is shorter). */
export function charOffset(src: Uint8Array, s: number, e: number, chars: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((src[i] & 0xc0) !== 0x80 && n++ === chars) return i;
  return e;
}

/** Integer value of bytes [+-]digits (spaces/tabs around allowed), NaN if not that shape. */
export function parseIntegerBytes(src: Uint8Array, s: number, e: number): number {
  while (s < e && (src[s] === 32 || src[s] === 9)) s++;
  while (e > s && (src[e - 1] === 32 || src[e - 1] === 9)) e--;
  let neg = false;
  if (s < e && (src[s] === 45 || src[s] === 43)) { neg = src[s] === 45; s++; }
  if (s === e) return NaN;
  // Nine digits always fit an int32, and integer multiply-adds are cheaper than a floating-point chain.
  let lo = 0;
  const m = e - s > 9 ? s + 9 : e;
  for (; s < m; s++) {
    const d = src[s] - 48;
    if (d < 0 || d > 9) return NaN;
    lo = lo * 10 + d;
  }
  let v = lo;
  for (; s < e; s++) {
    const d = src[s] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? 0 - v : v;
}

/** parseFloat of the whole trimmed token (NaN on trailing garbage). Short decimals skip the string. */
export function parseFloatBytes(src: Uint8Array, s: number, e: number): number {
  while (s < e && (src[s] === 32 || src[s] === 9)) s++;
  while (e > s && (src[e - 1] === 32 || src[e - 1] === 9)) e--;
  let i = s, neg = false;
  if (i < e && (src[i] === 45 || src[i] === 43)) { neg = src[i] === 45; i++; }
  // Clinger's fast path: an integer mantissa below 2^53 divided by an exact power of ten rounds correctly.
  let m = 0, digits = 0, frac = -1, ok = i < e;
  for (; i < e && ok; i++) {
    const c = src[i];
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
    else if (c === 46 && frac < 0) frac = 0;
    else ok = false;
  }
  if (ok && digits > 0 && digits <= 15 && frac <= 22) {
    const v = frac > 0 ? m / POW10[frac] : m;
    return neg ? 0 - v : v;
  }
  const text = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('latin1', s, e);
  return FLOAT_SYNTAX.test(text) ? parseFloat(text) : NaN;
}

export function parseBooleanBytes(src: Uint8Array, s: number, e: number): number {
  while (s < e && (src[s] === 32 || src[s] === 9)) s++;
  while (e > s && (src[e - 1] === 32 || src[e - 1] === 9)) e--;
  const n = e - s;
  const low = (k: number) => src[s + k] | 0x20;
  if (n === 4 && low(0) === 116 && low(1) === 114 && low(2) === 117 && low(3) === 101) return 1; // true
  if (n === 5 && low(0) === 102 && low(1) === 97 && low(2) === 108 && low(3) === 115 && low(4) === 101) return 0;
  return NaN;
}
