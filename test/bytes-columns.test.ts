// String columns whose values rarely repeat (user ids) are kept as their rows' bytes by the import and
// dictionary-encoded when first read: the same dictionary, codes and issues as the dictionary path.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { readCsvFiles, type CsvReadOptions } from '../src/engine/data/csv/import.js';
import { decodeBatch, encodeBatch } from '../src/engine/data/arrow-io.js';
import { rowStringColumn } from '../src/engine/data/row-strings.js';
import type { ColumnBatch, FieldSpec, ParsedSchema } from '../src/engine/data/types.js';

const FIELDS: FieldSpec[] = [
  { name: 'USER_ID', type: 'string', nullable: false, categorical: false, textual: false },
  { name: 'ITEM_ID', type: 'string', nullable: false, categorical: false, textual: false },
  { name: 'TIMESTAMP', type: 'long', nullable: false, categorical: false, textual: false },
  { name: 'SESSION', type: 'string', nullable: true, categorical: false, textual: false },
];
const SCHEMA: ParsedSchema = {
  recordName: 'Interactions', fields: FIELDS,
  avroType: avro.Type.forSchema({ type: 'record', name: 'Interactions', fields: [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' },
    { name: 'SESSION', type: ['null', 'string'] },
  ] }),
};

let dir = '';
let n = 0;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'bytes-columns-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function file(content: string | Buffer) {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return { path, displayName: 'f.csv' };
}

/**
 * Rows with mostly distinct user ids (one in seven from a set of 1000 seen all over the file, some not ASCII,
 * some quoted with an escaped quote, some longer than 8 bytes) and sessions that are often empty (null).
 */
function csv(rows: number): string {
  const out = ['USER_ID,ITEM_ID,TIMESTAMP,SESSION'];
  for (let r = 0; r < rows; r++) {
    const u = r % 7 === 3 ? `u${(r * 31) % 1000}` : r % 11 === 0 ? `usuário-${r}` : r % 13 === 0 ? `"u""${r}"` : r % 17 === 0 ? `a-much-longer-user-id-${r}` : `u${r}`;
    const session = r % 3 === 0 ? '' : `s${r % 5000}-${r}`;
    out.push(`${u},i${r % 97},${1_700_000_000 + r},${session}`);
  }
  return out.join('\n') + '\n';
}

async function batch(content: string | Buffer, options: CsvReadOptions): Promise<ColumnBatch> {
  const r = await readCsvFiles([file(content)], SCHEMA, options);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.batch;
}

const asBytes = { bytesColumnMinKeys: 1000 };
const asDictionary = { bytesColumnMinKeys: Infinity };

describe('string columns kept as bytes', () => {
  it.each([
    ['one thread', { parallel: false }],
    ['two threads by columns', { parallel: true, split: 'columns' }],
    ['two threads by rows', { parallel: true, split: 'rows' }],
  ] as const)('read like dictionary columns (%s)', async (_, how) => {
    const text = csv(60_000);
    const bytes = await batch(text, { ...how, ...asBytes });
    const dict = await batch(text, { ...how, ...asDictionary });
    for (const name of ['USER_ID', 'SESSION']) {
      const b = bytes.columns[name]!, d = dict.columns[name]!;
      if (b.type !== 'string' || d.type !== 'string') throw new Error('not strings');
      expect(b.rowValues).toBeDefined(); // really kept as bytes
      expect(d.rowValues).toBeUndefined();
      expect(b.codes).toEqual(d.codes); // first-appearance codes, -1 for null
      expect(b.dictionary).toEqual(d.dictionary);
    }
    expect(bytes.columns.ITEM_ID!.type === 'string' && bytes.columns.ITEM_ID!.rowValues).toBeFalsy(); // 97 values repeat
    const users = bytes.columns.USER_ID!;
    if (users.type !== 'string') throw new Error('not strings');
    expect(users.dictionary[users.codes[13]!]).toBe('u"13');
    expect(users.dictionary[users.codes[11]!]).toBe('usuário-11');
  });

  it('report the same issues on the same lines', async () => {
    const lines = csv(20_000).split('\n');
    lines[5] = lines[5]!.replace(/^[^,]*/, ''); // required USER_ID empty
    lines[900] = lines[900]!.replace(/^[^,]*/, 'x'.repeat(300)); // longer than an id may be
    const bad = Buffer.concat([Buffer.from(lines.slice(0, 1500).join('\n') + '\n'), Buffer.from([0xff, 0xfe]),
      Buffer.from(',i1,1,\n' + lines.slice(1500).join('\n'))]);
    const withBytes = await readCsvFiles([file(bad)], SCHEMA, asBytes);
    const withDict = await readCsvFiles([file(bad)], SCHEMA, asDictionary);
    expect(withBytes.ok).toBe(false);
    expect(withBytes).toEqual(withDict);
    expect(!withBytes.ok && withBytes.issues.map((i) => [i.line, i.column])).toEqual([[6, 'USER_ID'], [901, 'USER_ID'], [1501, 'USER_ID']]);
  });

  it('go to Arrow as they are and come back the same, nulls included', async () => {
    const b = await batch(csv(5_000), asBytes);
    const back = decodeBatch(encodeBatch(b, FIELDS));
    for (const name of ['USER_ID', 'SESSION']) {
      const x = back.columns[name]!, y = b.columns[name]!;
      if (x.type !== 'string' || y.type !== 'string') throw new Error('not strings');
      expect(x.rowValues).toBeDefined();
      expect(x.codes).toEqual(y.codes);
      expect(x.dictionary).toEqual(y.dictionary);
    }
  });

  it('make codes and dictionary together on first read of either', () => {
    const data = Buffer.from('bbaabbcc'), offsets = Int32Array.of(0, 2, 4, 4, 6, 8);
    const col = rowStringColumn({ utf8: { data, offsets }, nulls: Uint8Array.of(0, 0, 1, 0, 0) });
    expect(Object.getOwnPropertyDescriptor(col, 'codes')?.get).toBeTypeOf('function');
    expect(col.codes).toEqual(Int32Array.of(0, 1, -1, 0, 2));
    expect(Object.getOwnPropertyDescriptor(col, 'codes')?.value).toBe(col.codes); // kept, not made again
    expect(col.dictionary).toEqual(['bb', 'aa', 'cc']);
    expect(col).toEqual({ type: 'string', dictionary: ['bb', 'aa', 'cc'], codes: Int32Array.of(0, 1, -1, 0, 2) });
  });
});
