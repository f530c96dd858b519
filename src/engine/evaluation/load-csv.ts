// A small CSV loader for offline evaluation and benches: Personalize-shaped interactions/items CSV
// files -> column batches -> the same buildTrainingData the training jobs use.
import { readFileSync } from 'node:fs';
import type { TrainingData } from '../../recipes/types.js';
import type { Column, ColumnBatch, FieldSpec, FieldType } from '../data/types.js';
import { buildTrainingData, type TrainingDataConfig } from '../training/training-data.js';

/** Split one CSV line, honouring double quotes ("" inside quotes is a literal quote). */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

const NUMERIC: Record<string, FieldType> = { TIMESTAMP: 'long', CREATION_TIMESTAMP: 'long', EVENT_VALUE: 'float' };

/**
 * Read a CSV with a header into a ColumnBatch. Reserved numeric columns (TIMESTAMP, EVENT_VALUE,
 * CREATION_TIMESTAMP) become numbers; every other column a dictionary-encoded string, categorical
 * unless listed in `textual`.
 */
export function readCsvBatch(path: string, textual: string[] = []): { batch: ColumnBatch; fields: FieldSpec[] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitLine(lines[0]!).map((h) => h.trim());
  const rows = lines.length - 1;
  const fields: FieldSpec[] = header.map((name) => ({
    name, type: NUMERIC[name] ?? 'string', nullable: true,
    categorical: !NUMERIC[name] && !name.endsWith('_ID') && !textual.includes(name),
    textual: textual.includes(name),
  }));
  const numbers = header.map((h) => (NUMERIC[h] ? new Float64Array(rows) : null));
  const nulls = header.map(() => new Uint8Array(rows));
  const dicts = header.map(() => new Map<string, number>());
  const codes = header.map((h) => (NUMERIC[h] ? null : new Int32Array(rows)));
  for (let r = 0; r < rows; r++) {
    const cells = splitLine(lines[r + 1]!);
    for (let c = 0; c < header.length; c++) {
      const v = cells[c] ?? '';
      const num = numbers[c];
      if (num) {
        if (v === '') { nulls[c]![r] = 1; num[r] = NaN; } else num[r] = Number(v);
      } else {
        if (v === '') { codes[c]![r] = -1; continue; }
        let code = dicts[c]!.get(v);
        if (code === undefined) { code = dicts[c]!.size; dicts[c]!.set(v, code); }
        codes[c]![r] = code;
      }
    }
  }
  const columns: Record<string, Column> = Object.create(null); // column names are the caller's (an Avro name may be __proto__)
  header.forEach((h, c) => {
    const num = numbers[c];
    if (num) {
      const type = NUMERIC[h] === 'float' ? 'double' : 'long';
      columns[h] = { type, values: num, ...(nulls[c]!.includes(1) ? { nulls: nulls[c]! } : {}) };
    } else columns[h] = { type: 'string', dictionary: [...dicts[c]!.keys()], codes: codes[c]! };
  });
  return { batch: { rowCount: rows, columns }, fields };
}

/** TrainingData from an interactions CSV and an optional items CSV, as a training job would build it. */
export function loadTrainingDataCsv(interactionsPath: string, itemsPath?: string, cfg: TrainingDataConfig = {}): TrainingData {
  const inter = readCsvBatch(interactionsPath);
  const items = itemsPath ? readCsvBatch(itemsPath) : undefined;
  return buildTrainingData(inter.batch, items, cfg);
}

/** Dictionary-encode strings into a column. */
function stringColumn(values: readonly (string | null)[]): Column {
  const dict = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let c = dict.get(v);
    if (c === undefined) { c = dict.size; dict.set(v, c); }
    return c;
  });
  return { type: 'string', dictionary: [...dict.keys()], codes };
}

/**
 * TrainingData from in-memory rows (tests, examples): interactions as {user, item, timestamp,
 * eventType?}, optional items as {item, ...categorical string columns (`a|b` multi-valued)}; the columns named in
 * `text` are instead the textual field and the item-name field.
 */
export function trainingDataFromRows(
  interactions: readonly { user: string; item: string; timestamp: number; eventType?: string }[],
  items: readonly ({ item: string } & Record<string, string>)[] = [],
  cfg: TrainingDataConfig = {},
  text: { textual?: string; itemName?: string } = {},
): TrainingData {
  const inter: ColumnBatch = {
    rowCount: interactions.length,
    columns: {
      USER_ID: stringColumn(interactions.map((r) => r.user)),
      ITEM_ID: stringColumn(interactions.map((r) => r.item)),
      TIMESTAMP: { type: 'long', values: Float64Array.from(interactions, (r) => r.timestamp) },
      ...(interactions.some((r) => r.eventType !== undefined)
        ? { EVENT_TYPE: stringColumn(interactions.map((r) => r.eventType ?? null)) } : {}),
    },
  };
  if (items.length === 0) return buildTrainingData(inter, undefined, cfg);
  const names = [...new Set(items.flatMap((r) => Object.keys(r).filter((k) => k !== 'item')))];
  const fields: FieldSpec[] = [
    { name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false },
    ...names.map((name): FieldSpec => ({
      name, type: 'string', nullable: true, categorical: name !== text.textual && name !== text.itemName, textual: name === text.textual,
      ...(name === text.itemName ? { itemName: true } : {}),
    })),
  ];
  const columns: Record<string, Column> = { ITEM_ID: stringColumn(items.map((r) => r.item)) };
  for (const name of names) columns[name] = stringColumn(items.map((r) => r[name] ?? null));
  return buildTrainingData(inter, { batch: { rowCount: items.length, columns }, fields }, cfg);
}
