// Streamed records (PutEvents, PutItems, PutUsers) to columns: camelCase property keys matched to schema
// fields, values checked and converted by the field's type. One bad value rejects the whole batch.
import { InvalidInputException } from '../errors.js';
import type { Column, ColumnBatch, FieldSpec } from './types.js';

/** NUMBER_OF_RATINGS -> numberOfRatings, CATEGORY_L1 -> categoryL1 (the keys Personalize expects). */
export function camelCase(field: string): string {
  return field.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The schema field a property key names (camelCase, or the field name itself), or undefined. */
export function fieldForKey(fields: FieldSpec[], key: string): FieldSpec | undefined {
  return fields.find((f) => camelCase(f.name) === key || f.name === key);
}

const MAX_ID = 256;
const MAX_CATEGORICAL = 1000;

/** Convert one value for a field; returns the value or throws with `where` naming the record and field. */
export function convertValue(f: FieldSpec, v: unknown, where: string): string | number | boolean | null {
  if (v === null || v === undefined || v === '') {
    if (f.nullable) return null;
    throw new InvalidInputException(`${where}: ${f.name} is required by the schema and has no value.`);
  }
  switch (f.type) {
    case 'string': {
      const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
      if (s === null) throw new InvalidInputException(`${where}: ${f.name} must be a string.`);
      if (/_ID$/.test(f.name) && s.length > MAX_ID) throw new InvalidInputException(`${where}: ${f.name} is longer than ${MAX_ID} characters.`);
      if (f.categorical && s.length > MAX_CATEGORICAL) throw new InvalidInputException(`${where}: categorical ${f.name} is longer than ${MAX_CATEGORICAL} characters.`);
      return f.textual && s.length > 20000 ? s.slice(0, 20000) : s;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new InvalidInputException(`${where}: ${f.name} must be true or false.`);
    default: {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new InvalidInputException(`${where}: ${f.name} must be a number (${f.type}), got ${JSON.stringify(v)}.`);
      if ((f.type === 'int' || f.type === 'long') && !Number.isInteger(n)) throw new InvalidInputException(`${where}: ${f.name} must be a whole number (${f.type}), got ${n}.`);
      if (f.type === 'int' && (n < -2147483648 || n > 2147483647)) throw new InvalidInputException(`${where}: ${f.name} is out of the int range.`);
      if (f.type === 'long' && !Number.isSafeInteger(n)) throw new InvalidInputException(`${where}: ${f.name} is too large for a long stored here (|v| < 2^53).`);
      return n;
    }
  }
}

/** Rows given as field-name -> converted value, to a ColumnBatch over `fields`. */
export function rowsToBatch(fields: FieldSpec[], rows: Record<string, string | number | boolean | null>[]): ColumnBatch {
  const n = rows.length;
  const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
  for (const f of fields) {
    if (f.type === 'string') {
      const dict = new Map<string, number>();
      const codes = new Int32Array(n);
      rows.forEach((r, i) => {
        const v = r[f.name];
        if (v === null || v === undefined) { codes[i] = -1; return; }
        let c = dict.get(v as string);
        if (c === undefined) dict.set(v as string, (c = dict.size));
        codes[i] = c;
      });
      columns[f.name] = { type: 'string', dictionary: [...dict.keys()], codes };
      continue;
    }
    const nulls = new Uint8Array(n);
    let anyNull = false;
    const values = f.type === 'int' ? new Int32Array(n) : f.type === 'float' ? new Float32Array(n) : f.type === 'boolean' ? new Uint8Array(n) : new Float64Array(n);
    rows.forEach((r, i) => {
      const v = r[f.name];
      if (v === null || v === undefined) { nulls[i] = 1; anyNull = true; return; }
      values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number);
    });
    columns[f.name] = { type: f.type, values, nulls: anyNull ? nulls : undefined } as Column;
  }
  return { rowCount: n, columns };
}

/** Parse a `properties` JSON string (what the SDK sends) into an object, or throw naming `where`. */
export function parseProperties(raw: unknown, where: string, maxLength: number): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw !== 'string') throw new InvalidInputException(`${where}.properties must be a JSON string.`);
  if (raw.length > maxLength) throw new InvalidInputException(`${where}.properties is ${raw.length} characters; at most ${maxLength} are allowed.`);
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    throw new InvalidInputException(`${where}.properties is not valid JSON: ${raw.slice(0, 80)}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidInputException(`${where}.properties must be a JSON object.`);
  return doc as Record<string, unknown>;
}
