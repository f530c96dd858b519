// Shared shapes of dataset data inside the engine: a parsed schema and columnar row data.

export type DatasetType = 'INTERACTIONS' | 'ITEMS' | 'USERS' | 'ACTIONS' | 'ACTION_INTERACTIONS';
export const DATASET_TYPES: readonly DatasetType[] = ['INTERACTIONS', 'ITEMS', 'USERS', 'ACTIONS', 'ACTION_INTERACTIONS'];

/** Avro primitive types Personalize allows in a field (null only inside a union). */
export type FieldType = 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean';

export interface FieldSpec {
  name: string;
  type: FieldType;
  nullable: boolean;
  categorical: boolean;
  textual: boolean;
  /** Items only: the item's name or title (`"itemName": true`), which aws-semantic-similarity requires. */
  itemName?: boolean;
}

export interface ParsedSchema {
  /** Record name from the Avro document (Interactions, Items, ...). */
  recordName: string;
  fields: FieldSpec[];
  /** The avsc Type for the whole record, used to check rows. */
  avroType: import('avsc').Type;
}

/**
 * One column of row data. Strings are dictionary-encoded (ids repeat a lot, and Arrow stores them
 * the same way). Numbers are stored in typed arrays; `long` uses Float64Array
 * (epoch seconds and counts fit exactly below 2^53; the import rejects anything larger).
 * `nulls[i] === 1` marks a null value (only for nullable fields; absent when no value is null).
 * A string column read from CSV or Arrow also carries its dictionary as UTF-8 bytes (`utf8`), and makes
 * the strings on first read of `dictionary` (utf8-keys.ts); one of values that rarely repeat may be kept as
 * its rows' bytes (`rowValues`) and dictionary-encoded on first read of `codes` or `dictionary` (row-strings.ts).
 */
export type Column =
  | { type: 'string'; dictionary: string[]; codes: Int32Array; utf8?: Utf8Keys; rowValues?: RowValues } // codes[i] = -1 marks null
  | { type: 'int'; values: Int32Array; nulls?: Uint8Array }
  | { type: 'long' | 'double'; values: Float64Array; nulls?: Uint8Array }
  | { type: 'float'; values: Float32Array; nulls?: Uint8Array }
  | { type: 'boolean'; values: Uint8Array; nulls?: Uint8Array };

/** Keys of a string dictionary in Arrow's Utf8 layout: key i is data[offsets[i] .. offsets[i + 1]). */
export interface Utf8Keys { data: Uint8Array; offsets: Int32Array }

/** Per-row string values: row r is utf8 key r (empty when null); nulls[r] === 1 marks a null row. */
export interface RowValues { utf8: Utf8Keys; nulls: Uint8Array | null }

/** Rows of one dataset, column by column, in schema field order. */
export interface ColumnBatch {
  rowCount: number;
  columns: Record<string, Column>;
}

/** One problem found while importing, Zod-style: where (file, line, column) and what. */
export interface ImportIssue {
  file: string;
  line: number;
  column?: string;
  message: string;
}
