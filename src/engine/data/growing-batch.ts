// Rows that only grow (streamed interactions): appends cost O(new rows), amortized, instead of copying
// every earlier row. Snapshots are views: rows a snapshot shows are never written again, and string
// dictionaries only gain entries at the end, so a snapshot stays valid after later appends.
import type { Column, ColumnBatch, FieldSpec } from './types.js';

type Values = Int32Array | Float64Array | Float32Array | Uint8Array;

interface Growing {
  field: FieldSpec;
  /** String columns: codes; other columns: values. */
  data: Values;
  nulls: Uint8Array | null;
  dictionary: string[];
  codeOf: Map<string, number>;
}

function allocate(f: FieldSpec, n: number): Values {
  switch (f.type) {
    case 'string': case 'int': return new Int32Array(n);
    case 'long': case 'double': return new Float64Array(n);
    case 'float': return new Float32Array(n);
    case 'boolean': return new Uint8Array(n);
  }
}

function grown<T extends Values>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 64));
  b.set(a);
  return b;
}

export class GrowingBatch {
  private rows = 0;
  private readonly cols: Growing[];

  constructor(fields: FieldSpec[], first?: ColumnBatch) {
    this.cols = fields.map((field) => ({ field, data: allocate(field, 0), nulls: null, dictionary: [], codeOf: new Map() }));
    if (first) this.append(first);
  }

  get rowCount(): number { return this.rows; }

  append(batch: ColumnBatch): void {
    const n = batch.rowCount, at = this.rows, end = at + n;
    for (const g of this.cols) {
      const col = batch.columns[g.field.name];
      g.data = grown(g.data, end);
      if (g.nulls) g.nulls = grown(g.nulls, end);
      if (g.field.type === 'string') {
        const codes = g.data as Int32Array;
        if (!col || col.type !== 'string') { codes.fill(-1, at, end); continue; }
        // The batch's own dictionary mapped onto ours once; rows then copy codes.
        const remap = col.dictionary.map((s) => {
          let k = g.codeOf.get(s);
          if (k === undefined) { k = g.dictionary.length; g.dictionary.push(s); g.codeOf.set(s, k); }
          return k;
        });
        for (let i = 0; i < n; i++) { const c = col.codes[i]!; codes[at + i] = c < 0 ? -1 : remap[c]!; }
        continue;
      }
      if (!col || col.type === 'string') { this.markNull(g, at, end); continue; }
      (g.data as Float64Array).set(col.values.subarray(0, n) as Float64Array, at);
      if (col.nulls) for (let i = 0; i < n; i++) if (col.nulls[i]) this.markNull(g, at + i, at + i + 1);
    }
    this.rows = end;
  }

  private markNull(g: Growing, from: number, to: number): void {
    g.nulls ??= new Uint8Array(g.data.length);
    g.nulls.fill(1, from, to);
  }

  /** The rows so far, as a batch of views (valid after later appends). */
  snapshot(): ColumnBatch {
    const n = this.rows;
    const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
    for (const g of this.cols) {
      const name = g.field.name;
      if (g.field.type === 'string') columns[name] = { type: 'string', dictionary: g.dictionary, codes: (g.data as Int32Array).subarray(0, n) };
      else {
        const values = g.data.subarray(0, n);
        const nulls = g.nulls ? g.nulls.subarray(0, n) : undefined;
        columns[name] = { type: g.field.type, values, nulls } as Column;
      }
    }
    return { rowCount: n, columns };
  }
}
