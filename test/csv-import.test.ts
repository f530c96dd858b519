import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import { readCsvFiles, type CsvReadResult } from '../src/engine/data/csv/import.js';
import { parallelStats, parseFilesByColumns, parseFilesParallel, parseLanes, splitPoints } from '../src/engine/data/csv/parallel.js';
import { parseChunk, type ChunkResult } from '../src/engine/data/csv/chunk.js';
import { avscFields, buildPlans } from '../src/engine/data/csv/plan.js';
import { estimateDistinct, planSplit } from '../src/engine/data/csv/balance.js';
import { hasSpecialByte } from '../src/engine/data/csv/parse.js';
import { fourDigits } from '../src/engine/data/csv/columns.js';
import { parseFloatBytes } from '../src/engine/data/csv/values.js';
import { RING_SCRATCH_BYTES } from '../src/engine/data/csv/ring.js';
import type { ColumnBatch, FieldSpec, FieldType, ParsedSchema } from '../src/engine/data/types.js';

type FieldDef = { name: string; type: FieldType; nullable?: boolean; categorical?: boolean; textual?: boolean };

function schemaOf(name: string, defs: FieldDef[]): ParsedSchema {
  const fields: FieldSpec[] = defs.map((d) => ({
    name: d.name, type: d.type, nullable: !!d.nullable, categorical: !!d.categorical, textual: !!d.textual,
  }));
  const avroType = avro.Type.forSchema({
    type: 'record', name,
    fields: defs.map((d) => ({ name: d.name, type: d.nullable ? ['null', d.type] : d.type })),
  } as avro.Schema);
  return { recordName: name, fields, avroType };
}

const interactions = schemaOf('Interactions', [
  { name: 'USER_ID', type: 'string' },
  { name: 'ITEM_ID', type: 'string' },
  { name: 'TIMESTAMP', type: 'long' },
  { name: 'EVENT_TYPE', type: 'string', nullable: true },
  { name: 'EVENT_VALUE', type: 'float', nullable: true },
]);

let dir = '';
let n = 0;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'csv-import-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Writes text (or bytes) to a fresh file and returns it as an import source named like its file. */
function file(content: string | Buffer, name = `f${n++}.csv`) {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, displayName: name };
}

async function read(content: string | Buffer, schema = interactions, options = {}): Promise<CsvReadResult> {
  return readCsvFiles([file(content)], schema, options);
}

async function rows(content: string | Buffer, schema = interactions): Promise<ColumnBatch> {
  const r = await read(content, schema);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.batch;
}

function strings(batch: ColumnBatch, name: string): Array<string | null> {
  const col = batch.columns[name];
  if (col.type !== 'string') throw new Error(`${name} is ${col.type}`);
  return Array.from(col.codes, (c) => (c < 0 ? null : col.dictionary[c]));
}

function numbers(batch: ColumnBatch, name: string): Array<number | null> {
  const col = batch.columns[name];
  if (col.type === 'string') throw new Error(`${name} is a string column`);
  return Array.from(col.values as ArrayLike<number>, (v, i) => (col.nulls?.[i] ? null : v));
}

async function issues(content: string | Buffer, schema = interactions, options = {}) {
  const r = await read(content, schema, options);
  if (r.ok) throw new Error('expected issues');
  return r.issues;
}

describe('CSV dialect', () => {
  it('reads quoted commas, newlines, "" and Personalize\'s \\" and \\\\ escapes', async () => {
    const b = await rows([
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE',
      '"u,1",i1,1,"a ""quoted"" word"',
      'u2,"line one',
      'line two",2,"back\\\\slash and \\"quote\\" and \\n kept"',
      '',
    ].join('\n'));
    expect(strings(b, 'USER_ID')).toEqual(['u,1', 'u2']);
    expect(strings(b, 'ITEM_ID')).toEqual(['i1', 'line one\nline two']);
    expect(strings(b, 'EVENT_TYPE')).toEqual(['a "quoted" word', 'back\\slash and "quote" and \\n kept']);
  });

  it('accepts CRLF line ends, a BOM, no final newline and empty lines', async () => {
    const text = 'USER_ID,ITEM_ID,TIMESTAMP\r\n\r\nu1,i1,10\r\n"u2","i\r\n2",20\r\n\nu3,i3,30';
    const b = await rows(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(b.rowCount).toBe(3);
    expect(strings(b, 'USER_ID')).toEqual(['u1', 'u2', 'u3']);
    expect(strings(b, 'ITEM_ID')).toEqual(['i1', 'i\r\n2', 'i3']);
    expect(numbers(b, 'TIMESTAMP')).toEqual([10, 20, 30]);
  });

  it('reports an unterminated quote at the line where the field starts', async () => {
    const found = await issues('USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\nu2,"i2,2\nu3,i3,3\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 3 });
    expect(found[0].message).toMatch(/never closed/);
  });

  it('reports text after a closing quote', async () => {
    const found = await issues('USER_ID,ITEM_ID,TIMESTAMP\n"u1"x,i1,1\n');
    expect(found[0]).toMatchObject({ line: 2 });
    expect(found[0].message).toMatch(/after the closing quote/);
  });
});

describe('header', () => {
  it('matches columns by name, in any order; absent nullable fields are null', async () => {
    const b = await rows('TIMESTAMP,ITEM_ID,USER_ID\n5,i1,u1\n6,i2,u2\n');
    expect(strings(b, 'USER_ID')).toEqual(['u1', 'u2']);
    expect(numbers(b, 'TIMESTAMP')).toEqual([5, 6]);
    expect(strings(b, 'EVENT_TYPE')).toEqual([null, null]);
    expect(numbers(b, 'EVENT_VALUE')).toEqual([null, null]);
    expect(Object.keys(b.columns)).toEqual(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE']);
  });

  it('names the missing required columns the way Personalize does', async () => {
    const found = await issues('ITEM_ID,EVENT_TYPE\ni1,click\n');
    expect(found).toEqual([expect.objectContaining({ line: 1, message: 'Input CSV is missing the following columns: [USER_ID, TIMESTAMP]' })]);
  });

  it('rejects a column that is not in the schema, and a duplicate column', async () => {
    const found = await issues('USER_ID,ITEM_ID,TIMESTAMP,COLOR,ITEM_ID\nu1,i1,1,red,i1\n');
    expect(found.map((i) => i.message)).toEqual([
      expect.stringContaining('column "ITEM_ID" appears more than once'),
      expect.stringMatching(/column "COLOR" is not a field of the schema \(Interactions: USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE, EVENT_VALUE\)/),
    ]);
  });

  it('reports an empty file', async () => {
    const found = await issues('');
    expect(found[0].message).toMatch(/the file is empty/);
  });
});

describe('rows', () => {
  it('reports a wrong field count with the physical line, also after a multi-line quoted field', async () => {
    const found = await issues('USER_ID,ITEM_ID,TIMESTAMP\nu1,"i\n1\n",1\nu2,i2\nu3,i3,3,extra\n');
    expect(found.map((i) => [i.file, i.line, i.message.slice(0, 26)])).toEqual([
      [expect.stringMatching(/\.csv$/), 5, 'expected 3 fields, found 2'],
      [expect.stringMatching(/\.csv$/), 6, 'expected 3 fields, found 4'],
    ]);
  });

  it('checks numbers and booleans, naming file, line and column', async () => {
    const schema = schemaOf('Items', [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'CREATION_TIMESTAMP', type: 'long' },
      { name: 'STOCK', type: 'int' },
      { name: 'PRICE', type: 'float' },
      { name: 'RATING', type: 'double' },
      { name: 'ON_SALE', type: 'boolean' },
    ]);
    const src = file([
      'ITEM_ID,CREATION_TIMESTAMP,STOCK,PRICE,RATING,ON_SALE',
      'i1,1700000000,3,1.5,4.25,TRUE',
      'i2,abc,2147483648,1.5x,1e400,yes',
      'i3,9007199254740991,-2147483648,3.5e38, -2.5 ,False',
      '',
    ].join('\n'), 'items.csv');
    const r = await readCsvFiles([src], schema);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.file, i.line, i.column])).toEqual([
      ['items.csv', 3, 'CREATION_TIMESTAMP'], ['items.csv', 3, 'STOCK'], ['items.csv', 3, 'PRICE'],
      ['items.csv', 3, 'RATING'], ['items.csv', 3, 'ON_SALE'], ['items.csv', 4, 'CREATION_TIMESTAMP'], ['items.csv', 4, 'PRICE'],
    ]);
    expect(r.issues[0].message).toBe('value "abc" is not a long (a whole number of epoch seconds, e.g. 1700000000)');
    expect(r.issues[1].message).toMatch(/"2147483648" is out of range for an int/);
    expect(r.issues[2].message).toMatch(/"1.5x" is not a float/);
    expect(r.issues[3].message).toMatch(/"1e400" is not a double/);
    expect(r.issues[4].message).toMatch(/"yes" is not a boolean \(write true or false\)/);
    expect(r.issues[5].message).toMatch(/out of range for a long/); // avsc's long stops at 2^53 - 2
    expect(r.issues[6].message).toMatch(/out of range for a float/);
  });

  it('converts valid values to typed columns', async () => {
    const schema = schemaOf('Items', [
      { name: 'ITEM_ID', type: 'string' }, { name: 'N', type: 'int' }, { name: 'T', type: 'long' },
      { name: 'F', type: 'float' }, { name: 'D', type: 'double' }, { name: 'B', type: 'boolean' },
    ]);
    const b = await rows('ITEM_ID,N,T,F,D,B\ni1,-7,+9007199254740990,0.1,0.1,true\ni2,2147483647,-5, 2.5e3 ,.5,FALSE\n', schema);
    expect(b.columns.N).toEqual({ type: 'int', values: Int32Array.from([-7, 2147483647]) });
    expect(b.columns.T).toEqual({ type: 'long', values: Float64Array.from([9007199254740990, -5]) });
    expect(b.columns.F).toEqual({ type: 'float', values: Float32Array.from([0.1, 2500]) });
    expect(b.columns.D).toEqual({ type: 'double', values: Float64Array.from([0.1, 0.5]) });
    expect(b.columns.B).toEqual({ type: 'boolean', values: Uint8Array.from([1, 0]) });
  });

  it('reads empty values of nullable fields as null, and rejects them in required fields', async () => {
    const b = await rows('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nu1,i1,1,,\nu2,i2,2,click,0.5\nu3,i3,3,"",\n');
    expect(strings(b, 'EVENT_TYPE')).toEqual([null, 'click', null]);
    expect(numbers(b, 'EVENT_VALUE')).toEqual([null, 0.5, null]);
    expect(b.columns.EVENT_VALUE).toMatchObject({ nulls: Uint8Array.from([1, 0, 1]) });
    expect(b.columns.TIMESTAMP).not.toHaveProperty('nulls');

    const found = await issues('USER_ID,ITEM_ID,TIMESTAMP\nu1,,1\n,i2,\n');
    expect(found.map((i) => [i.line, i.column, i.message.split(';')[0]])).toEqual([
      [2, 'ITEM_ID', 'ITEM_ID is required but empty'],
      [3, 'USER_ID', 'USER_ID is required but empty'],
      [3, 'TIMESTAMP', 'TIMESTAMP is required but empty'],
    ]);
  });

  it('limits ids to 256 characters and categorical values to 1000, and cuts textual values at 20,000', async () => {
    const schema = schemaOf('Items', [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'GENRES', type: 'string', categorical: true, nullable: true },
      { name: 'DESCRIPTION', type: 'string', textual: true, nullable: true },
    ]);
    const found = await issues(`ITEM_ID,GENRES\n${'x'.repeat(257)},a\ni2,${'g'.repeat(1001)}\ni3,${'é'.repeat(1000)}\n`, schema);
    expect(found.map((i) => [i.line, i.column, i.message])).toEqual([
      [2, 'ITEM_ID', 'value is 257 characters long; ITEM_ID allows at most 256 characters'],
      [3, 'GENRES', 'value is 1001 characters long; GENRES allows at most 1000 characters'],
    ]);
    const long = 'ü'.repeat(19_999) + 'ab' + 'c'.repeat(5000);
    const b = await rows(`ITEM_ID,DESCRIPTION\ni1,"${long}"\ni2,short\n`, schema);
    expect(strings(b, 'DESCRIPTION')).toEqual(['ü'.repeat(19_999) + 'a', 'short']);
  });

  it('rejects bytes that are not UTF-8', async () => {
    const found = await issues(Buffer.concat([Buffer.from('USER_ID,ITEM_ID,TIMESTAMP\nu1,i'), Buffer.from([0xff, 0xfe]), Buffer.from(',1\n')]));
    expect(found).toEqual([expect.objectContaining({ line: 2, column: 'ITEM_ID', message: expect.stringMatching(/not valid UTF-8/) })]);
  });

  it('asks avsc value by value when the schema type is not one the fast path knows', async () => {
    const schema = schemaOf('Items', [{ name: 'ITEM_ID', type: 'string' }, { name: 'N', type: 'int' }]);
    schema.fields[1].type = 'long'; // the Avro type says int: every value goes through avsc's isValid
    const found = await issues('ITEM_ID,N\ni1,5\ni2,3000000000\n', schema);
    expect(found).toEqual([expect.objectContaining({ line: 3, column: 'N', message: 'value "3000000000" does not match the schema type "int"' })]);
  });

  it('stops after maxIssues issues', async () => {
    const bad = Array.from({ length: 50 }, (_, i) => `u${i},i${i},x`).join('\n');
    expect(await issues(`USER_ID,ITEM_ID,TIMESTAMP\n${bad}\n`)).toHaveLength(10);
    expect(await issues(`USER_ID,ITEM_ID,TIMESTAMP\n${bad}\n`, interactions, { maxIssues: 3 })).toHaveLength(3);
  });

  it('dictionary-encodes strings in order of first appearance', async () => {
    const b = await rows('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nb,x,1,click\na,y,2,\nb,x,3,view\nc,x,4,click\n');
    expect(b.columns.USER_ID).toEqual({ type: 'string', dictionary: ['b', 'a', 'c'], codes: Int32Array.from([0, 1, 0, 2]) });
    expect(b.columns.EVENT_TYPE).toEqual({ type: 'string', dictionary: ['click', 'view'], codes: Int32Array.from([0, -1, 1, 0]) });
  });
});

describe('decimals', () => {
  it('reads plain decimals inline to exactly the values of the general parser', async () => {
    let seed = 11;
    const rnd = (m: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % m; };
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const digits = Array.from({ length: 1 + rnd(17) }, () => rnd(10)).join('');
      const dot = rnd(3) === 0 ? digits.length : rnd(digits.length + 1);
      texts.push(`${rnd(4) === 0 ? '-' : ''}${digits.slice(0, dot)}${dot < digits.length || rnd(5) === 0 ? '.' : ''}${digits.slice(dot)}`);
    }
    texts.push('1e3', '+2.5', ' 7.25', '-0', '.5', '5.');
    const b = await rows(`USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE\n${texts.map((t) => `u,i,1,${t}`).join('\n')}\n`);
    const col = b.columns.EVENT_VALUE;
    if (col.type !== 'float') throw new Error(col.type);
    expect(Array.from(col.values)).toEqual(texts.map((t) => Math.fround(parseFloatBytes(Buffer.from(t), 0, t.length))));
  });
});

describe('file size', () => {
  /** What a test compares of chunk results: rows, columns (dictionaries as their bytes) and issues. */
  function content(results: ChunkResult[]) {
    return results.map((r) => ({ rows: r.rows, issues: r.issues, columns: r.columns.map((c) => {
      if (!c || c.kind !== 'string') return c;
      return { codes: Array.from(c.codes), keys: Buffer.from(c.dict.arena).toString(), offs: Array.from(c.dict.offs) };
    }) }));
  }

  // Byte positions inside a window are small numbers; in the file they may pass 2 and 4 GiB (the old limit
  // came from 32-bit positions into a whole file). A sparse file puts records past 4 GiB without writing
  // (or reading) the hole before them: every way of parsing reads them as in a small file.
  it('reads records at file positions past 4 GiB, on one thread, by columns and by rows', async () => {
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP\n'];
    for (let i = 0; i < 60_000; i++) { // 1.8 MB: big enough to be cut in ranges
      lines.push(i === 30_123 ? 'u1,i1,later\n' : i % 50 === 0 ? `"user\n${i % 300}","i${i % 97}",${1e9 + i}\r\n`
        : `user${i % 1000},item${i % 97},${1e9 + i}\n`);
    }
    const small = file(lines.join(''));
    const body = Buffer.from(lines.slice(1).join('')), at = 2 ** 32 + 7;
    const huge = join(dir, 'huge.csv');
    const fd = openSync(huge, 'w');
    try { writeSync(fd, body, 0, body.length, at); } finally { closeSync(fd); }
    expect(statSync(huge).size).toBe(at + body.length);

    const plans = buildPlans(interactions, [0, 1, 2, -1, -1], avscFields(interactions));
    const task = { nf: 3, maxIssues: 10, fields: plans, startLine: 2, chunkBytes: 1000 };
    const expected = content([parseChunk({ ...task, path: small.path, start: lines[0].length, limit: lines[0].length + body.length })]);
    expect(expected[0].rows).toBe(60_000);
    // Line numbers count the line breaks inside quoted values (one per 50 records) across all windows.
    expect(expected[0].issues).toEqual([expect.objectContaining({ line: 2 + 30_123 + Math.ceil(30_123 / 50), column: 'TIMESTAMP' })]);

    const serial = parseChunk({ ...task, path: huge, start: at, limit: at + body.length });
    expect(serial.endPos).toBe(at + body.length);
    expect(content([serial])).toEqual(expected);
    const file4g = { path: huge, size: at + body.length, dataStart: at, startLine: 2 };
    const before = { ...parallelStats };
    const byColumns = await parseFilesByColumns([file4g], 3, 10, plans, [true, false, true, false, false], 1000);
    expect(parallelStats.workerChunks).toBeGreaterThan(before.workerChunks); // the worker built its columns
    expect(parallelStats.ringFallbacks).toBe(before.ringFallbacks);
    expect(content(byColumns![0]).map((r) => r.columns)).toEqual(expected.map((r) => r.columns));
    const byRows = await parseFilesParallel([file4g], 3, 10, plans, 1000);
    expect(byRows![0].length).toBeGreaterThan(1); // cut in ranges, read by different threads
    expect(byRows![0].reduce((n, r) => n + r.rows, 0)).toBe(60_000);
    expect(byRows![0].flatMap((r) => r.issues)).toEqual(expected[0].issues);
  });
});

describe('several files', () => {
  it('concatenates rows in file order, with line numbers per file', async () => {
    const a = file('USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\nu2,i2,2\n', 'a.csv');
    const b = file('USER_ID,ITEM_ID,TIMESTAMP\nu3,i1,3\n', 'b.csv');
    const r = await readCsvFiles([a, b], interactions);
    expect(r.ok && strings(r.batch, 'USER_ID')).toEqual(['u1', 'u2', 'u3']);
    expect(r.ok && r.batch.columns.ITEM_ID).toEqual({ type: 'string', dictionary: ['i1', 'i2'], codes: Int32Array.from([0, 1, 0]) });

    const c = file('USER_ID,ITEM_ID,TIMESTAMP\nu4,i4,oops\n', 'c.csv');
    const bad = await readCsvFiles([a, c], interactions);
    expect(!bad.ok && bad.issues).toEqual([expect.objectContaining({ file: 'c.csv', line: 2, column: 'TIMESTAMP' })]);
  });

  it('requires the same header in every file', async () => {
    const a = file('USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,1\n', 'a.csv');
    const b = file('ITEM_ID,USER_ID,TIMESTAMP\ni3,u3,3\n', 'b.csv');
    const r = await readCsvFiles([a, b], interactions);
    expect(!r.ok && r.issues).toEqual([expect.objectContaining({ file: 'b.csv', line: 1 })]);
    expect(!r.ok && r.issues[0].message).toMatch(/differs from the header of a\.csv/);
  });
});

describe('parallel parsing', () => {
  it('estimates how many distinct values a column has from a sample', () => {
    expect(estimateDistinct(4096, 3)).toBeCloseTo(3, 0);
    expect(estimateDistinct(4096, 3947) / 50_000).toBeGreaterThan(0.8); // 4096 draws from 50k values
    expect(estimateDistinct(4096, 3947) / 50_000).toBeLessThan(1.25);
    expect(estimateDistinct(10, 10)).toBe(Infinity);
  });

  it('skips a word only when none of its bytes is a comma, quote, CR or LF (or below)', () => {
    const probe = [0, 9, 10, 13, 34, 44, 45, 46, 0x41, 0x7f, 0x80, 0xc3, 0xff];
    for (const a of probe) for (const b of probe) for (const c of probe) for (const d of probe) {
      const w = Buffer.from([a, b, c, d]).readInt32LE(0);
      expect(hasSpecialByte(w)).toBe([a, b, c, d].some((x) => x <= 44));
    }
  });

  it('reads four digits from a word only when every byte is a digit', () => {
    for (let v = 0; v < 10_000; v++) expect(fourDigits(Buffer.from(String(v).padStart(4, '0')).readInt32LE(0))).toBe(v);
    const probe = [0, 32, 43, 45, 46, 47, 48, 53, 57, 58, 63, 64, 0x70, 0xf9, 0xfa, 0xff];
    for (const a of probe) for (const b of probe) for (const c of probe) for (const d of probe) {
      const bytes = [a, b, c, d], digits = bytes.every((x) => x >= 48 && x <= 57);
      expect(fourDigits(Buffer.from(bytes).readInt32LE(0))).toBe(digits ? Number(String.fromCharCode(...bytes)) : -1);
    }
  });

  it('splits by columns when they balance, by rows when keys repeat', () => {
    // Interactions: the worker builds the big user dictionary and the timestamps, this thread tokenizes
    // and builds items and event types.
    expect(planSplit({ costs: [120, 60, 30, 25], keys: [700_000, 50_000, 0, 3], rows: 1e6 }))
      .toEqual({ by: 'columns', worker: [true, false, true, false] });
    expect(planSplit({ costs: [30, 30, 40, 40], keys: [0, 0, 0, 0], rows: 1e6 })).toEqual({ by: 'rows' });
    // One column of unique ids dominates: halves would have to be merged key by key, but the worker can
    // build it from this thread's tokens.
    expect(planSplit({ costs: [120, 25], keys: [Infinity, 5], rows: 1e6 })).toEqual({ by: 'columns', worker: [true, false] });
  });

  /**
   * Records (each ending in a newline) of a multi-MB interactions file; every third has a quoted value of
   * 9 lines, or of 15 lines that look like CSV records themselves when `recordLike` (to fool the cut check).
   */
  function bigCsv(rowsCount: number, pad: number, recordLike = false): string[] {
    const records = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\n'];
    if (pad > 0) records.push(`pad,i0,1,${'x'.repeat(pad * 29)},\n`); // moves the file's midpoint by pad * 14.5 bytes
    let seed = 7;
    const rnd = (m: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % m; };
    const inner = recordLike ? (j: number) => `\nu${j},i${j},${j},view,0.5` : () => '\nmore text on one more line';
    for (let i = 0; i < rowsCount; i++) {
      const ev = i % 3 === 0
        ? `"multi\nline ""${i % 7}""\nevent, ${rnd(50)}${Array.from({ length: recordLike ? 12 : 6 }, (_, j) => inner(j)).join('')}"`
        : ['click', 'view', ''][rnd(3)];
      const value = rnd(4) === 0 ? '' : (rnd(1000) / 8).toString();
      records.push(`u${rnd(20000)},"i${rnd(3000)}",${1600000000 + i},${ev},${value}\n`);
    }
    return records;
  }

  /** A file whose import cuts one of its chunks at a line inside a quoted value (found by shifting the data). */
  function fileCutInQuotes(recordLike: boolean) {
    const [header, ...body] = bigCsv(100_000, 0, recordLike);
    for (let pad = 1; pad < 500; pad++) {
      const buf = Buffer.from(header + bigCsv(0, pad)[1] + body.join(''));
      const src = file(buf);
      // Without the plausibility check (nf 0) the cut is the first line start after the even split;
      // with it (nf 5, as the import does) record-like lines inside quotes still pass.
      const cuts = splitPoints(src.path, buf.indexOf(10) + 1, Math.max(2, parseLanes()), recordLike ? 5 : 0).slice(1, -1);
      if (cuts.some((c) => insideQuotes(buf, c))) return src;
    }
    throw new Error('no cut inside quotes found');
  }

  /** Deep equality of two batches; typed arrays compared as bytes (much faster than toEqual on big arrays). */
  function expectSameBatch(a: ColumnBatch, b: ColumnBatch): void {
    expect(a.rowCount).toBe(b.rowCount);
    expect(Object.keys(a.columns)).toEqual(Object.keys(b.columns));
    const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    for (const [name, x] of Object.entries(a.columns)) {
      const y = b.columns[name];
      expect(x.type).toBe(y.type);
      if (x.type === 'string' && y.type === 'string') {
        expect(x.dictionary.length).toBe(y.dictionary.length);
        expect(x.dictionary.every((v, i) => v === y.dictionary[i])).toBe(true);
        expect(bytes(x.codes).equals(bytes(y.codes))).toBe(true);
      } else if (x.type !== 'string' && y.type !== 'string') {
        expect(x.values.constructor).toBe(y.values.constructor);
        expect(bytes(x.values).equals(bytes(y.values))).toBe(true);
        expect(x.nulls && bytes(x.nulls).equals(bytes(y.nulls!))).toBe(y.nulls && true);
      }
    }
  }

  /** True when the byte at `pos` is inside a quoted field (the test data has no backslash escapes). */
  function insideQuotes(buf: Buffer, pos: number): boolean {
    let quotes = 0;
    for (let i = 0; i < pos; i++) if (buf[i] === 34) quotes++;
    return quotes % 2 === 1;
  }

  it('moves a cut that would fall inside a quoted value to a real record start', async () => {
    const src = fileCutInQuotes(false);
    const serial = await readCsvFiles([src], interactions, { parallel: false });
    const before = { ...parallelStats };
    const parallel = await readCsvFiles([src], interactions, { parallel: true, split: 'rows' });
    expect(parallelStats.workerChunks).toBeGreaterThan(before.workerChunks); // a worker really parsed a chunk
    expect(parallelStats.reparsedChunks).toBe(before.reparsedChunks);
    expect(serial.ok && parallel.ok).toBe(true);
    if (serial.ok && parallel.ok) {
      expect(serial.batch.rowCount).toBe(100_001);
      expectSameBatch(parallel.batch, serial.batch);
    }
  });

  it('gives exactly the serial result when a chunk starts inside a quoted value after all', async () => {
    const src = fileCutInQuotes(true);
    const serial = await readCsvFiles([src], interactions, { parallel: false });
    const before = { ...parallelStats };
    const parallel = await readCsvFiles([src], interactions, { parallel: true, split: 'rows' });
    expect(parallelStats.reparsedChunks).toBeGreaterThan(before.reparsedChunks); // the bad cut was caught
    expect(serial.ok && parallel.ok).toBe(true);
    if (serial.ok && parallel.ok) expectSameBatch(parallel.batch, serial.batch);
  });

  it('splits the work by columns: each thread builds some columns of every record', async () => {
    const src = file(bigCsv(60_000, 0).join(''));
    const serial = await readCsvFiles([src], interactions, { parallel: false });
    const before = { ...parallelStats };
    const parallel = await readCsvFiles([src], interactions, { parallel: true, split: 'columns' });
    expect(parallelStats.workerChunks).toBeGreaterThan(before.workerChunks);
    expect(serial.ok && parallel.ok).toBe(true);
    if (serial.ok && parallel.ok) expectSameBatch(parallel.batch, serial.batch);
  });

  it('builds the columns here when a block is too big for the ring to the worker', async () => {
    const records = bigCsv(20_000, 0);
    // One record whose escaped quotes leave more unescaped bytes than a ring slot holds.
    records.splice(5_000, 0, `u1,i1,1,"${'ab""'.repeat(Math.ceil(RING_SCRATCH_BYTES / 3) + 10)}",\n`);
    const src = file(records.join(''));
    const serial = await readCsvFiles([src], interactions, { parallel: false });
    const before = { ...parallelStats };
    const parallel = await readCsvFiles([src], interactions, { parallel: true, split: 'columns' });
    expect(parallelStats.ringFallbacks).toBeGreaterThan(before.ringFallbacks);
    expect(serial.ok && parallel.ok).toBe(true);
    if (serial.ok && parallel.ok) expectSameBatch(parallel.batch, serial.batch);
  });

  it('stops at the first issues when the worker finds them first and this thread finds later ones', async () => {
    const records = bigCsv(60_000, 0);
    // Empty ids from record 100 on (USER_ID is required), bad timestamps here and there after them.
    for (let r = 100; r < records.length; r += 7) records[r] = records[r].replace(/^u\d+/, '');
    for (let r = 150; r < records.length; r += 1000) records[r] = records[r].replace(/,16\d+,/, ',later,');
    const src = file(records.join(''));
    const serial = await readCsvFiles([src], interactions, { parallel: false, maxIssues: 25 });
    const parallel = await readCsvFiles([src], interactions, { parallel: true, split: 'columns', maxIssues: 25 });
    expect(!serial.ok && serial.issues.length).toBe(25);
    expect(!serial.ok && new Set(serial.issues.map((i) => i.column))).toEqual(new Set(['USER_ID', 'TIMESTAMP']));
    expect(parallel).toEqual(serial);
  });

  it.each(['rows', 'columns'] as const)('spreads several files over the threads and keeps their order (%s)', async (split) => {
    const [header, ...body] = bigCsv(40_000, 0);
    const a = file(header + body.slice(0, 30_000).join(''), 'a.csv');
    const b = file(header + body.slice(30_000, 30_010).join(''), 'b.csv');
    const c = file(header + body.slice(30_010).join(''), 'c.csv');
    const serial = await readCsvFiles([a, b, c], interactions, { parallel: false });
    const parallel = await readCsvFiles([a, b, c], interactions, { parallel: true, split });
    expect(serial.ok && parallel.ok).toBe(true);
    if (serial.ok && parallel.ok) {
      expect(serial.batch.rowCount).toBe(40_000);
      expectSameBatch(parallel.batch, serial.batch);
    }
  });

  it.each(['rows', 'columns'] as const)('reports the same issues with the same line numbers (%s)', async (split) => {
    const records = bigCsv(60_000, 0);
    records[2] = 'u1,i1\n';
    records.splice(records.length - 10, 0, 'u1,i1,late,click,\n'); // deep in the last chunk
    const lineOf = (r: number) => 1 + records.slice(0, r).join('').split('\n').length - 1;
    const src = file(records.join(''));
    const serial = await readCsvFiles([src], interactions, { parallel: false });
    const parallel = await readCsvFiles([src], interactions, { parallel: true, split });
    expect(parallel).toEqual(serial);
    expect(!serial.ok && serial.issues.map((i) => [i.line, i.column])).toEqual([
      [lineOf(2), undefined], [lineOf(records.length - 11), 'TIMESTAMP'],
    ]);
  });
});
