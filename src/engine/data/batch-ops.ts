// Whole-batch operations on columnar rows: concatenation (merging string dictionaries), row selection,
// and keep-the-latest-row-per-id (INCREMENTAL imports and PutItems replace by id).
import type { Column, ColumnBatch, FieldSpec } from './types.js';
import { concatStringColumns } from './concat-strings.js';
import { stringColumn } from './utf8-keys.js';

export function emptyColumn(f: FieldSpec, n: number): Column {
  const nulls = n ? new Uint8Array(n).fill(1) : undefined;
  switch (f.type) {
    case 'string': return { type: 'string', dictionary: [], codes: new Int32Array(n).fill(-1) };
    case 'int': return { type: 'int', values: new Int32Array(n), nulls };
    case 'long': case 'double': return { type: f.type, values: new Float64Array(n), nulls };
    case 'float': return { type: 'float', values: new Float32Array(n), nulls };
    case 'boolean': return { type: 'boolean', values: new Uint8Array(n), nulls };
  }
}

export function emptyBatch(fields: FieldSpec[]): ColumnBatch {
  return { rowCount: 0, columns: Object.fromEntries(fields.map((f) => [f.name, emptyColumn(f, 0)])) };
}

function concatColumns(f: FieldSpec, parts: { col: Column; n: number }[], total: number): Column {
  // Keys as bytes when the biggest part has them (imported rows, whose columns kept as row bytes index
  // themselves on this read): merged without a Map of every string.
  const big = parts.reduce((a, b) => (b.n > a.n ? b : a), parts[0]!);
  if (f.type === 'string' && big && big.col.type === 'string' && big.col.utf8) {
    return concatStringColumns(parts as { col: Extract<Column, { type: 'string' }>; n: number }[], total);
  }
  if (f.type === 'string') {
    const dict = new Map<string, number>();
    const codes = new Int32Array(total);
    let off = 0;
    for (const { col, n } of parts) {
      const c = col as Extract<Column, { type: 'string' }>;
      const remap = c.dictionary.map((s) => {
        let k = dict.get(s);
        if (k === undefined) dict.set(s, (k = dict.size));
        return k;
      });
      for (let i = 0; i < n; i++) codes[off + i] = c.codes[i]! < 0 ? -1 : remap[c.codes[i]!]!;
      off += n;
    }
    return { type: 'string', dictionary: [...dict.keys()], codes };
  }
  const out = emptyColumn(f, total) as Exclude<Column, { type: 'string' }>;
  const nulls = new Uint8Array(total);
  let anyNull = false;
  let off = 0;
  for (const { col, n } of parts) {
    const c = col as Exclude<Column, { type: 'string' }>;
    (out.values as Float64Array).set(c.values.subarray(0, n) as Float64Array, off);
    if (c.nulls) for (let i = 0; i < n; i++) if (c.nulls[i]) { nulls[off + i] = 1; anyNull = true; }
    off += n;
  }
  out.nulls = anyNull ? nulls : undefined;
  return out;
}

/** Rows of `batches` one after the other, in the given fields (a field a batch lacks is null there). */
export function concatBatches(batches: ColumnBatch[], fields: FieldSpec[]): ColumnBatch {
  const total = batches.reduce((s, b) => s + b.rowCount, 0);
  const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
  for (const f of fields) {
    const parts = batches.map((b) => ({ col: b.columns[f.name] ?? emptyColumn(f, b.rowCount), n: b.rowCount }));
    columns[f.name] = concatColumns(f, parts, total);
  }
  return { rowCount: total, columns };
}

/** The rows at `rows` (in that order). */
export function takeRows(batch: ColumnBatch, rows: Int32Array): ColumnBatch {
  const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
  for (const [name, c] of Object.entries(batch.columns)) {
    if (c.type === 'string') {
      const codes = rows.map((r) => c.codes[r]!);
      columns[name] = c.utf8 ? stringColumn(codes, c.utf8) : { type: 'string', dictionary: c.dictionary, codes };
      continue;
    }
    const values = (c.values as Float64Array).constructor as Float64ArrayConstructor;
    const v = new values(rows.length);
    for (let i = 0; i < rows.length; i++) v[i] = c.values[rows[i]!]!;
    const nulls = c.nulls ? Uint8Array.from(rows, (r) => c.nulls![r]!) : undefined;
    columns[name] = { ...c, values: v, nulls } as Column;
  }
  return { rowCount: rows.length, columns };
}

/** Keep only the last row for each value of `idField` (later rows replace earlier ones), in first-seen order. */
export function keepLatestById(batch: ColumnBatch, idField: string): ColumnBatch {
  const id = batch.columns[idField];
  if (!id || id.type !== 'string') return batch;
  const last = new Int32Array(id.dictionary.length).fill(-1);
  const first = new Int32Array(id.dictionary.length).fill(-1);
  for (let i = 0; i < batch.rowCount; i++) {
    const c = id.codes[i]!;
    if (c < 0) continue;
    if (first[c] === -1) first[c] = i;
    last[c] = i;
  }
  const order = Array.from(first.keys()).filter((c) => first[c]! >= 0).sort((a, b) => first[a]! - first[b]!);
  const rows = Int32Array.from(order, (c) => last[c]!);
  return rows.length === batch.rowCount ? batch : takeRows(batch, rows);
}

/** The string value of row i in a string column (null when missing). */
export function stringAt(c: Column | undefined, i: number): string | null {
  if (!c || c.type !== 'string') return null;
  const k = c.codes[i]!;
  return k < 0 ? null : c.dictionary[k]!;
}

/** The numeric value of row i (null when missing or not numeric). */
export function numberAt(c: Column | undefined, i: number): number | null {
  if (!c || c.type === 'string') return null;
  if (c.nulls && c.nulls[i]) return null;
  return c.values[i]!;
}
