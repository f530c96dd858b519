// The runtime `filterValues` map: shape limits (25 keys, [A-Za-z0-9_]+, values <= 1000 chars) and the
// value format `"\"comedy\",\"drama\""` (comma-separated double-quoted strings) or a bare number.
import { InvalidInputException } from '../errors.js';

export const MAX_FILTER_VALUES = 25;
export const MAX_FILTER_VALUE_LENGTH = 1000;
const KEY = /^[A-Za-z0-9_]{1,50}$/;
const BARE_NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** Check the map's shape (not its values' format, which depends on the placeholder's use). */
export function validateFilterValues(fv: Record<string, unknown> | undefined): void {
  if (fv === undefined || fv === null) return;
  if (typeof fv !== 'object' || Array.isArray(fv)) throw new InvalidInputException('filterValues must be a map of placeholder name to value.');
  const keys = Object.keys(fv);
  if (keys.length > MAX_FILTER_VALUES) {
    throw new InvalidInputException(`filterValues has ${keys.length} entries; at most ${MAX_FILTER_VALUES} are allowed.`);
  }
  for (const k of keys) {
    if (!KEY.test(k)) throw new InvalidInputException(`filterValues key "${k}" must match [A-Za-z0-9_]+ and be at most 50 characters (no $).`);
    const v = fv[k];
    if (typeof v !== 'string' && typeof v !== 'number') throw new InvalidInputException(`filterValues value for ${k} must be a string.`);
    if (String(v).length > MAX_FILTER_VALUE_LENGTH) {
      throw new InvalidInputException(`filterValues value for ${k} is longer than ${MAX_FILTER_VALUE_LENGTH} characters.`);
    }
  }
}

function malformed(name: string, raw: string, at: number): InvalidInputException {
  return new InvalidInputException(
    `filterValues value for ${name} is malformed at character ${at}: expected comma-separated double-quoted values such as "\\"comedy\\",\\"drama\\"" or a number, got ${JSON.stringify(raw)}.`,
  );
}

/**
 * The values of one placeholder: the quoted strings (escapes \" and \\ resolved), or the bare number
 * as a one-element list. null for an empty value, which counts as not supplied.
 */
export function parseFilterValue(name: string, raw: unknown): string[] | null {
  const s = typeof raw === 'number' ? String(raw) : String(raw);
  const t = s.trim();
  if (t === '') return null;
  if (t[0] !== '"') {
    if (BARE_NUMBER.test(t)) return [t];
    throw malformed(name, s, s.indexOf(t[0]));
  }
  const out: string[] = [];
  let i = 0;
  const ws = () => { while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++; };
  for (;;) {
    ws();
    if (s[i] !== '"') throw malformed(name, s, i);
    i++;
    let v = '';
    for (;;) {
      if (i >= s.length) throw malformed(name, s, i);
      const c = s[i];
      if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\')) { v += s[i + 1]; i += 2; continue; }
      if (c === '"') { i++; break; }
      v += c;
      i++;
    }
    out.push(v);
    ws();
    if (i === s.length) return out;
    if (s[i] !== ',') throw malformed(name, s, i);
    i++;
  }
}

/** A value used as a number (comparisons, numeric fields): exactly one numeric value. */
export function numericFilterValue(name: string, values: string[]): number {
  if (values.length !== 1) throw new InvalidInputException(`filterValues value for ${name} must be a single number, got ${values.length} values.`);
  const v = values[0].trim();
  if (!BARE_NUMBER.test(v)) throw new InvalidInputException(`filterValues value for ${name} must be a number, got ${JSON.stringify(values[0])}.`);
  return Number(v);
}

export function isNumberText(s: string): boolean { return BARE_NUMBER.test(s.trim()); }

export function missingValue(name: string): InvalidInputException {
  return new InvalidInputException(
    `Missing filterValues value for placeholder $${name}: every placeholder of an INCLUDE expression needs a value (an EXCLUDE expression without its values is skipped).`,
  );
}
