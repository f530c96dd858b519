// ColumnBatch <-> Apache Arrow IPC: how imported rows are stored on disk (one file per dataset part).
import {
  Bool, Dictionary, Field, Float32, Float64, Int32, Schema, Table, Utf8, RecordBatch, RecordBatchFileWriter, Struct,
  Type, makeData, makeVector, util, vectorFromArray, tableFromIPC, tableToIPC, type Data, type DataType,
} from 'apache-arrow';
import type { Column, ColumnBatch, FieldSpec, Utf8Keys } from './types.js';
import { stringColumn } from './utf8-keys.js';
import { rowStringColumn } from './row-strings.js';

function bitmapFromNulls(isNull: (i: number) => boolean, n: number): { bitmap: Uint8Array; nullCount: number } | undefined {
  let nullCount = 0;
  const bitmap = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    if (isNull(i)) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return nullCount ? { bitmap, nullCount } : undefined;
}

/** UTF-8 keys as an Arrow Utf8 buffer pair, as they are (offsets from 0, as the IPC writer expects). */
function utf8Buffers(k: Utf8Keys): { valueOffsets: Int32Array; data: Uint8Array } {
  const base = k.offsets[0]!, n = k.offsets.length - 1;
  return { valueOffsets: base ? k.offsets.map((o) => o - base) : k.offsets, data: k.data.subarray(base, k.offsets[n]) };
}

/** `id`: the dictionary id of a string column (the field's index: the same file bytes for the same rows, every time). */
function columnData(c: Column, n: number, id: number): Data {
  if (c.type === 'string' && c.rowValues) { // values as they are: no dictionary to make
    const { utf8, nulls } = c.rowValues;
    const nb = nulls ? bitmapFromNulls((i) => nulls[i] === 1, n) : undefined;
    return makeData({ type: new Utf8(), length: n, nullCount: nb?.nullCount ?? 0, nullBitmap: nb?.bitmap, ...utf8Buffers(utf8) });
  }
  if (c.type === 'string') {
    const codes0 = c.codes;
    let anyNull = false;
    for (let i = 0; i < n; i++) if (codes0[i]! < 0) { anyNull = true; break; } // most id columns have none: no bitmap
    const nb = anyNull ? bitmapFromNulls((i) => codes0[i]! < 0, n) : undefined;
    const codes = nb ? c.codes.map((x) => (x < 0 ? 0 : x)) : c.codes;
    const type = new Dictionary(new Utf8(), new Int32(), id); // Arrow's default: a process-wide counter
    const dictionary = c.utf8
      ? makeVector(makeData({ type: new Utf8(), length: c.utf8.offsets.length - 1, nullCount: 0, ...utf8Buffers(c.utf8) }))
      : vectorFromArray(c.dictionary, new Utf8());
    return makeData({ type, length: n, nullCount: nb?.nullCount ?? 0, nullBitmap: nb?.bitmap, data: codes, dictionary });
  }
  const nb = c.nulls ? bitmapFromNulls((i) => c.nulls![i] === 1, n) : undefined;
  const common = { length: n, nullCount: nb?.nullCount ?? 0, nullBitmap: nb?.bitmap };
  switch (c.type) {
    case 'int': return makeData({ type: new Int32(), data: c.values, ...common });
    case 'long': case 'double': return makeData({ type: new Float64(), data: c.values, ...common });
    case 'float': return makeData({ type: new Float32(), data: c.values, ...common });
    case 'boolean': {
      const packed = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (c.values[i]) packed[i >> 3]! |= 1 << (i & 7);
      return makeData({ type: new Bool(), data: packed, ...common });
    }
  }
}

/** The rows as one Arrow record batch; the Avro type of each field is kept in the field metadata. */
function batchTable(batch: ColumnBatch, fields: FieldSpec[]): Table {
  const n = batch.rowCount;
  const datas = fields.map((f, i) => columnData(batch.columns[f.name]!, n, i));
  const arrowFields = fields.map(
    (f, i) => new Field(f.name, datas[i]!.type as DataType, f.nullable, new Map([['avro.type', f.type]])),
  );
  const schema = new Schema(arrowFields);
  const struct = makeData({ type: new Struct(arrowFields), length: n, nullCount: 0, children: datas });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Encode rows as an Arrow IPC file. */
export function encodeBatch(batch: ColumnBatch, fields: FieldSpec[]): Uint8Array {
  return tableToIPC(batchTable(batch, fields), 'file');
}

/** Arrow's file writer, handing each piece on as it is made instead of keeping them all to join at the end. */
class PassingFileWriter extends RecordBatchFileWriter {
  constructor(private readonly put: (bytes: Uint8Array) => void) {
    super();
  }

  protected override _write(chunk: Parameters<typeof util.toUint8Array>[0]): this {
    if (this._started) {
      const bytes = util.toUint8Array(chunk) as Uint8Array;
      if (bytes.byteLength > 0) { this.put(bytes); this._position += bytes.byteLength; }
    }
    return this;
  }
}

/**
 * The bytes of encodeBatch, in pieces (mostly views of the columns themselves): writing a big import's file
 * then costs no second copy of its rows in memory.
 */
export function writeBatch(batch: ColumnBatch, fields: FieldSpec[], put: (bytes: Uint8Array) => void): void {
  new PassingFileWriter(put).writeAll(batchTable(batch, fields));
}

/** Decode an Arrow IPC file written by encodeBatch back into typed columns. */
export function decodeBatch(bytes: Uint8Array): ColumnBatch {
  const table = tableFromIPC(bytes);
  const n = table.numRows;
  const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
  for (const field of table.schema.fields) {
    const vec = table.getChild(field.name)!;
    const avroType = field.metadata.get('avro.type');
    const isNull = (i: number) => !vec.isValid(i);
    const anyNull = vec.nullCount > 0;
    if (avroType === 'string') {
      const chunks = vec.data;
      const dict = chunks.length === 1 ? chunks[0]!.dictionary : undefined;
      if (dict && dict.data.length === 1 && dict.nullCount === 0) {
        const d = chunks[0]!, keys = dict.data[0]!;
        const codes = Int32Array.from((d.values as Int32Array).subarray(d.offset, d.offset + n));
        if (anyNull) for (let i = 0; i < n; i++) if (isNull(i)) codes[i] = -1;
        // Copies: the column outlives the file bytes, and the strings are made only when read.
        const offsets = keys.valueOffsets.subarray(keys.offset, keys.offset + keys.length + 1), base = offsets[0]!;
        const data = keys.values.slice(base, offsets[keys.length]);
        columns[field.name] = stringColumn(codes, { data, offsets: offsets.map((o: number) => o - base) });
      } else if (chunks.length === 1 && chunks[0]!.type.typeId === Type.Utf8) { // values as they are (row-strings.ts)
        const d = chunks[0]!, all = d.valueOffsets.subarray(d.offset, d.offset + n + 1), base = all[0]!;
        const offsets = all.map((o: number) => o - base), data = d.values.slice(base, all[n]);
        columns[field.name] = rowStringColumn({ utf8: { data, offsets }, nulls: anyNull ? Uint8Array.from({ length: n }, (_, i) => (isNull(i) ? 1 : 0)) : null });
      } else {
        const dict = new Map<string, number>();
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          const v = vec.get(i) as string | null;
          if (v === null) { codes[i] = -1; continue; }
          let c = dict.get(v);
          if (c === undefined) dict.set(v, (c = dict.size));
          codes[i] = c;
        }
        columns[field.name] = { type: 'string', dictionary: [...dict.keys()], codes };
      }
      continue;
    }
    const nulls = anyNull ? Uint8Array.from({ length: n }, (_, i) => (isNull(i) ? 1 : 0)) : undefined;
    const raw = vec.toArray();
    switch (avroType) {
      case 'int': columns[field.name] = { type: 'int', values: Int32Array.from(raw as Int32Array), nulls }; break;
      case 'long': case 'double': columns[field.name] = { type: avroType, values: Float64Array.from(raw as Float64Array), nulls }; break;
      case 'float': columns[field.name] = { type: 'float', values: Float32Array.from(raw as Float32Array), nulls }; break;
      case 'boolean': columns[field.name] = { type: 'boolean', values: Uint8Array.from({ length: n }, (_, i) => (vec.get(i) ? 1 : 0)), nulls }; break;
      default: throw new Error(`column ${field.name} has unknown avro.type ${avroType}`);
    }
  }
  return { rowCount: n, columns };
}
