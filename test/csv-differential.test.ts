// Every way of reading a CSV (one thread, two threads by columns or by rows, string columns as
// dictionaries or as bytes, the file read in big chunks or in chunks of a few hundred bytes) gives the same
// rows, or the same issues, on seeded random files full of quoting, line-ending, null and UTF-8 cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { readCsvFiles, type CsvReadOptions, type CsvReadResult } from '../src/engine/data/csv/import.js';
import { streamStats } from '../src/engine/data/csv/stream.js';
import { encodeBatch, writeBatch } from '../src/engine/data/arrow-io.js';
import { Rng } from '../src/lib/random.js';
import type { ColumnBatch, FieldSpec, ParsedSchema } from '../src/engine/data/types.js';

const FIELDS: FieldSpec[] = [
  { name: 'USER_ID', type: 'string', nullable: false, categorical: false, textual: false },
  { name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false },
  { name: 'TIMESTAMP', type: 'long', nullable: false, categorical: false, textual: false },
  { name: 'NOTE', type: 'string', nullable: true, categorical: false, textual: false },
  { name: 'EVENT_VALUE', type: 'double', nullable: true, categorical: false, textual: false },
  { name: 'FLAG', type: 'boolean', nullable: true, categorical: false, textual: false },
];
const SCHEMA: ParsedSchema = {
  recordName: 'Interactions', fields: FIELDS,
  avroType: avro.Type.forSchema({ type: 'record', name: 'Interactions', fields: FIELDS.map((f) => ({ name: f.name, type: f.nullable ? ['null', f.type] : f.type })) }),
};

let dir = '';
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'csv-differential-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** A value as a CSV field: plain, or quoted with its quotes doubled (sometimes backslash-escaped). */
function field(rng: Rng, v: string): string {
  if (v === '') return rng.int(2) ? '' : '""';
  if (/[",\n\r]/.test(v) || rng.int(10) === 0) return `"${rng.int(3) ? v.replace(/"/g, '""') : v.replace(/"/g, '\\"')}"`;
  return v;
}

const WORDS = ['a', 'note', 'café', '東京', 'x,y', 'say "hi"', 'two\nlines', 'tab\there', '😀', 'end\r\nline'];

/** `rows` records; `bad` puts an unreadable value in some of them. */
function randomCsv(seed: number, rows: number, bad: boolean): string {
  const rng = new Rng(seed);
  const out = [FIELDS.map((f) => f.name).join(',')];
  for (let r = 0; r < rows; r++) {
    const user = rng.int(5) === 0 ? `u${rng.int(100)}` : `user-${rng.int(1_000_000)}${rng.int(20) === 0 ? 'é' : ''}`;
    const item = `i${rng.int(300)}`;
    const ts = bad && rng.int(5000) === 0 ? 'soon' : String(1_600_000_000 + r);
    const note = rng.int(3) === 0 ? '' : Array.from({ length: 1 + rng.int(3) }, () => WORDS[rng.int(WORDS.length)]).join(' ');
    const value = rng.int(4) === 0 ? '' : (rng.int(1000) / 7).toFixed(3);
    const flag = ['', 'true', 'false', 'TRUE'][rng.int(4)]!;
    const cells = [field(rng, user), field(rng, item), ts, field(rng, note), value, flag];
    out.push(cells.join(',') + (rng.int(10) === 0 ? '\r' : ''));
  }
  return out.join('\n') + '\n';
}

/** Rows as plain values, so batches built different ways compare by content. */
function plainRows(b: ColumnBatch): unknown[][] {
  const cols = FIELDS.map((f) => b.columns[f.name]!);
  return Array.from({ length: b.rowCount }, (_, r) => cols.map((c) => {
    if (c.type === 'string') return c.codes[r]! < 0 ? null : c.dictionary[c.codes[r]!];
    return c.nulls?.[r] ? null : c.values[r];
  }));
}

// Small chunks put window ends everywhere a line ends: inside quoted fields (read again whole in the next
// window), after a CR LF, right after multi-byte characters, between the threads' ranges.
const WAYS: Array<[string, CsvReadOptions]> = [
  ['one thread', { parallel: false }],
  ['by columns', { parallel: true, split: 'columns' }],
  ['by rows', { parallel: true, split: 'rows' }],
  ['one thread, 300-byte chunks', { parallel: false, chunkBytes: 300 }],
  ['one thread, 4 kB chunks', { parallel: false, chunkBytes: 4096 }],
  ['by columns, 300-byte chunks', { parallel: true, split: 'columns', chunkBytes: 300 }],
  ['by rows, 300-byte chunks', { parallel: true, split: 'rows', chunkBytes: 300 }],
];

async function readAll(text: string): Promise<Array<[string, CsvReadResult]>> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  const out: Array<[string, CsvReadResult]> = [];
  for (const [way, opts] of WAYS) {
    for (const [form, minKeys] of [['dictionaries', Infinity], ['bytes', 1000]] as const) {
      out.push([`${way}, ${form}`, await readCsvFiles([{ path, displayName: 'f.csv' }], SCHEMA, { ...opts, bytesColumnMinKeys: minKeys })]);
    }
  }
  return out;
}

describe('reading a CSV every way', () => {
  it.each([1, 2, 3])('gives the same rows (seed %i)', async (seed) => {
    const before = { ...streamStats };
    const results = await readAll(randomCsv(seed, 40_000, false));
    expect(streamStats.windows - before.windows).toBeGreaterThan(10_000); // small chunks: many windows
    expect(streamStats.rereads - before.rereads).toBeGreaterThan(100); // many ended inside a quoted field
    const [name0, first] = results[0]!;
    if (!first.ok) throw new Error(`${name0}: ${JSON.stringify(first.issues)}`);
    // The stored Arrow file, as import jobs write it (in pieces) and as encodeBatch makes it (whole).
    const arrow = (b: ColumnBatch) => { const parts: Uint8Array[] = []; writeBatch(b, FIELDS, (x) => parts.push(x)); return Buffer.concat(parts); };
    const stored = results.slice(0, 2).map(([, r]) => r.ok && Buffer.from(encodeBatch(r.batch, FIELDS)));
    const expected = plainRows(first.batch);
    expect(expected.length).toBe(40_000);
    for (const [name, r] of results.slice(1)) {
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.issues)}`);
      expect(plainRows(r.batch), name).toEqual(expected);
      expect(arrow(r.batch).equals(stored[name.endsWith('bytes') ? 1 : 0] as Buffer), `${name}: Arrow bytes`).toBe(true);
      const users = r.batch.columns.USER_ID!;
      expect(users.type === 'string' && !!users.rowValues, name).toBe(name.endsWith('bytes')); // the way really taken
      for (const f of FIELDS) { // codes in first-appearance order every way
        const a = first.batch.columns[f.name]!, b = r.batch.columns[f.name]!;
        if (a.type === 'string' && b.type === 'string') expect(b.dictionary, `${name} ${f.name}`).toEqual(a.dictionary);
      }
    }
  });

  it('reports the same issues every way', async () => {
    const results = await readAll(randomCsv(9, 40_000, true));
    const [, first] = results[0]!;
    expect(first.ok).toBe(false);
    for (const [name, r] of results.slice(1)) expect(r, name).toEqual(first);
  });
});
