// The workbench's input: the CSV files a user would upload for Personalize, found in a folder or named one by
// one, read once through the import job's reader, so bad rows fail with the same file/line/column reasons.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatIssue, readCsvFiles } from '../engine/data/csv/index.js';
import type { ColumnBatch, FieldSpec } from '../engine/data/types.js';
import { InvalidInputException } from '../engine/errors.js';
import { checkedSchema, inferSchema, numericMetadata, readHeader, readSchemaFile, schemaText, type WorkbenchDataset } from './schemas.js';

export interface InputFiles {
  /** A folder holding interactions.csv and optionally items.csv, users.csv. */
  data?: string;
  interactions?: string;
  items?: string;
  users?: string;
  /** Avro schema files by dataset type (Interactions, Items, Users; any case). */
  schemas?: Record<string, string>;
}

export interface LoadedDataset {
  /** The path as given (results.json records it). */
  file: string;
  batch: ColumnBatch;
  fields: FieldSpec[];
  /** The Avro schema the rows were checked against (after numeric metadata was recognised). */
  schema: string;
  /** Whether the schema came from a file (true) or from the header (false). */
  schemaGiven: boolean;
}

export interface LoadedInput { interactions: LoadedDataset; items?: LoadedDataset; users?: LoadedDataset }

const TYPES: WorkbenchDataset[] = ['INTERACTIONS', 'ITEMS', 'USERS'];
const FILE_OF: Record<WorkbenchDataset, string> = { INTERACTIONS: 'interactions.csv', ITEMS: 'items.csv', USERS: 'users.csv' };

function datasetKey(name: string): WorkbenchDataset {
  const t = name.toUpperCase();
  if (t === 'INTERACTIONS' || t === 'ITEMS' || t === 'USERS') return t;
  throw new InvalidInputException(`--schema ${name}=...: the dataset type must be Interactions, Items or Users.`);
}

/** Which file holds which dataset: explicit paths win over the folder's conventional names. */
export function locateFiles(input: InputFiles): Partial<Record<WorkbenchDataset, string>> {
  const out: Partial<Record<WorkbenchDataset, string>> = {};
  if (input.data !== undefined) {
    if (!existsSync(input.data)) throw new InvalidInputException(`the data folder ${input.data} does not exist.`);
    if (!statSync(input.data).isDirectory()) {
      throw new InvalidInputException(`${input.data} is not a folder; pass a folder holding interactions.csv (and items.csv, users.csv), or the file with --interactions.`);
    }
    for (const t of TYPES) {
      const p = join(input.data, FILE_OF[t]);
      if (existsSync(p)) out[t] = p;
    }
  }
  const explicit: Record<WorkbenchDataset, string | undefined> = { INTERACTIONS: input.interactions, ITEMS: input.items, USERS: input.users };
  for (const t of TYPES) {
    const p = explicit[t];
    if (p === undefined) continue;
    if (!existsSync(p) || !statSync(p).isFile()) throw new InvalidInputException(`--${t.toLowerCase()} ${p}: no such file.`);
    out[t] = p;
  }
  if (!out.INTERACTIONS) {
    throw new InvalidInputException(input.data !== undefined
      ? `${input.data} has no interactions.csv; name the file with --interactions FILE.`
      : 'no interactions: pass a folder holding interactions.csv, or --interactions FILE.');
  }
  return out;
}

/** Read and check every file (one parse each), with given schemas or schemas inferred from the headers. */
export async function loadInput(input: InputFiles): Promise<LoadedInput> {
  const files = locateFiles(input);
  const given = new Map<WorkbenchDataset, string>();
  for (const [k, path] of Object.entries(input.schemas ?? {})) given.set(datasetKey(k), path);
  for (const t of given.keys()) {
    if (!files[t]) throw new InvalidInputException(`--schema ${t === 'INTERACTIONS' ? 'Interactions' : t === 'ITEMS' ? 'Items' : 'Users'}=...: there is no ${FILE_OF[t]} to apply it to.`);
  }
  const out: Partial<LoadedInput> = {};
  for (const t of TYPES) {
    const file = files[t];
    if (!file) continue;
    const schemaFile = given.get(t);
    const text = schemaFile !== undefined ? readSchemaFile(schemaFile) : inferSchema(t, readHeader(file, basename(file)), basename(file));
    const schema = checkedSchema(text, t, schemaFile ?? `the schema inferred from ${basename(file)}`);
    const read = await readCsvFiles([{ path: file, displayName: basename(file) }], schema);
    if (!read.ok) {
      const shown = read.issues.slice(0, 5).map(formatIssue);
      const more = read.issues.length > 5 ? ` (and ${read.issues.length - 5} more)` : '';
      throw new InvalidInputException(`${shown.join('; ')}${more}`);
    }
    const { fields } = schemaFile !== undefined ? { fields: schema.fields } : numericMetadata(read.batch, schema.fields, t);
    const key = t === 'INTERACTIONS' ? 'interactions' : t === 'ITEMS' ? 'items' : 'users';
    out[key] = { file, batch: read.batch, fields, schema: schemaFile !== undefined ? JSON.stringify(JSON.parse(text)) : schemaText(t, fields), schemaGiven: schemaFile !== undefined };
  }
  return out as LoadedInput;
}
