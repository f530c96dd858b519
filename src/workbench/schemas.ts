// Schemas of the workbench's CSV files: given as Avro schema files, or inferred from the header with
// Personalize's reserved field names and types; metadata columns whose values are all numbers become doubles.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readHeaderRecord } from '../engine/data/csv/index.js';
import { checkSchemaForDataset, parseSchema } from '../engine/data/schema.js';
import type { Column, ColumnBatch, DatasetType, FieldSpec, ParsedSchema } from '../engine/data/types.js';
import { InvalidInputException } from '../engine/errors.js';

export type WorkbenchDataset = 'INTERACTIONS' | 'ITEMS' | 'USERS';
export const RECORD_NAME: Record<WorkbenchDataset, string> = { INTERACTIONS: 'Interactions', ITEMS: 'Items', USERS: 'Users' };

/** Reserved fields and their Avro types; the ids and TIMESTAMP are required, the others nullable. */
const RESERVED: Record<WorkbenchDataset, Record<string, unknown>> = {
  INTERACTIONS: {
    USER_ID: 'string', ITEM_ID: 'string', TIMESTAMP: 'long', EVENT_TYPE: ['null', 'string'], EVENT_VALUE: ['null', 'float'],
    IMPRESSION: ['null', 'string'], RECOMMENDATION_ID: ['null', 'string'], EVENT_ATTRIBUTION_SOURCE: ['null', 'string'],
  },
  ITEMS: { ITEM_ID: 'string', CREATION_TIMESTAMP: ['null', 'long'] },
  USERS: { USER_ID: 'string' },
};
const REQUIRED: Record<WorkbenchDataset, string[]> = { INTERACTIONS: ['USER_ID', 'ITEM_ID', 'TIMESTAMP'], ITEMS: ['ITEM_ID'], USERS: ['USER_ID'] };

/** The header of a CSV file (its first record), read from the file's first megabyte. */
export function readHeader(path: string, displayName: string): string[] {
  const fd = openSync(path, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(1 << 20);
    buf = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const header = readHeaderRecord(buf, bom, () => {});
  if (!header || header === 'incomplete') throw new InvalidInputException(`${displayName} is empty; its first line must be a header naming the columns, e.g. USER_ID,ITEM_ID,TIMESTAMP.`);
  return header.names.map((n) => n.trim());
}

/**
 * The Avro schema a CSV header implies: reserved names get Personalize's types; every other column is
 * metadata, first read as a nullable categorical string (numbers are recognised after the parse, see
 * numericMetadata). Missing required columns are an error naming them.
 */
export function inferSchema(type: WorkbenchDataset, header: string[], displayName: string): string {
  const missing = REQUIRED[type].filter((n) => !header.includes(n));
  if (missing.length) {
    throw new InvalidInputException(`${displayName} is missing the column(s) ${missing.join(', ')}: its header is [${header.join(', ')}]; ` +
      `${RECORD_NAME[type]} need ${REQUIRED[type].join(', ')} (Personalize's reserved names, upper case).`);
  }
  const fields = header.map((name) => {
    const reserved = RESERVED[type][name];
    return reserved !== undefined ? { name, type: reserved } : { name, type: ['null', 'string'], categorical: true };
  });
  return JSON.stringify({ type: 'record', name: RECORD_NAME[type], namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' });
}

/** Parse and check a schema (given or inferred) as CreateSchema + CreateDataset would; errors name the file. */
export function checkedSchema(text: string, type: WorkbenchDataset, source: string): ParsedSchema {
  try {
    const schema = parseSchema(text);
    checkSchemaForDataset(schema, type as DatasetType);
    return schema;
  } catch (e) {
    throw new InvalidInputException(`${source}: ${(e as Error).message}`);
  }
}

export function readSchemaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidInputException(`cannot read the schema file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Inferred metadata columns whose every value is a number become nullable doubles (Personalize's numeric
 * metadata); the schema's field and the Avro text follow. Columns of a given schema are left as they are.
 */
export function numericMetadata(batch: ColumnBatch, fields: FieldSpec[], type: WorkbenchDataset): { fields: FieldSpec[]; converted: string[] } {
  const converted: string[] = [];
  const out = fields.map((f) => {
    const col = batch.columns[f.name];
    if (RESERVED[type][f.name] !== undefined || !col || col.type !== 'string' || !f.categorical) return f;
    const dict = col.dictionary;
    if (dict.length === 0 || !dict.every((s) => NUMBER.test(s.trim()))) return f;
    const numbers = Float64Array.from(dict, (s) => Number(s));
    const values = new Float64Array(batch.rowCount), nulls = new Uint8Array(batch.rowCount);
    let anyNull = false;
    for (let r = 0; r < batch.rowCount; r++) {
      const c = col.codes[r]!;
      if (c < 0) { nulls[r] = 1; anyNull = true; } else values[r] = numbers[c]!;
    }
    batch.columns[f.name] = { type: 'double', values, ...(anyNull ? { nulls } : {}) } as Column;
    converted.push(f.name);
    return { ...f, type: 'double' as const, categorical: false };
  });
  return { fields: out, converted };
}

/** The Avro text of fields (after numericMetadata), as results.json records it. */
export function schemaText(type: WorkbenchDataset, fields: FieldSpec[]): string {
  return JSON.stringify({
    type: 'record', name: RECORD_NAME[type], namespace: 'com.amazonaws.personalize.schema', version: '1.0',
    fields: fields.map((f) => ({ name: f.name, type: f.nullable ? ['null', f.type] : f.type, ...(f.categorical ? { categorical: true } : {}), ...(f.textual ? { textual: true } : {}) })),
  });
}
