// Dataset import jobs: where files come from, FULL vs INCREMENTAL, and failures that name file, line
// and column while leaving the previous data untouched.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const dir = tempDir();
const p = new LocalPersonalize({ inMemory: true, bucketsDir: join(dir, 'buckets') });
afterAll(() => p.close());

let n = 0;
async function dataset(schema = INTERACTIONS_SCHEMA, datasetType = 'Interactions') {
  n++;
  const { schemaArn } = await p.createSchema({ name: `s${n}`, schema });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: `g${n}` });
  const { datasetArn } = await p.createDataset({ name: `d${n}`, schemaArn, datasetGroupArn, datasetType });
  return datasetArn;
}

async function importJob(datasetArn: string, dataLocation: string, importMode?: string) {
  const { datasetImportJobArn } = await p.createDatasetImportJob({ jobName: `j${++n}`, datasetArn, dataSource: { dataLocation }, importMode });
  return (await p.describeDatasetImportJob({ datasetImportJobArn })).datasetImportJob;
}

const rows = (arn: string) => p.engine.datasets.all(arn, arn.endsWith('ITEMS') ? 'ITEMS' : 'INTERACTIONS', []).rowCount;

describe('CreateDatasetImportJob', () => {
  it('fails with file, line and column named, and keeps the data imported before', async () => {
    const ds = await dataset();
    const good = writeCsv(dir, 'good.csv', 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\nu2,i2,1700000001,click\n');
    expect((await importJob(ds, good)).status).toBe('ACTIVE');
    const bad = writeCsv(dir, 'bad.csv', 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,i1,1700000000,click\n"u2\nstill u2",i2,1700000001,click\nu3,i3,yesterday,click\n');
    const job = await importJob(ds, bad);
    expect(job.status).toBe('CREATE FAILED');
    expect(job.failureReason).toMatch(/bad\.csv line 5, column TIMESTAMP: .*"yesterday"/);
    expect(job.failureReason).toMatch(/data is unchanged/);
    expect(rows(ds)).toBe(2);
  });

  it("reports missing columns as Personalize does", async () => {
    const ds = await dataset();
    const job = await importJob(ds, writeCsv(dir, 'missing.csv', 'USER_ID,EVENT_TYPE\nu1,click\n'));
    expect(job.status).toBe('CREATE FAILED');
    expect(job.failureReason).toMatch(/Input CSV is missing the following columns: \[ITEM_ID, TIMESTAMP\]/);
  });

  it('FULL replaces, INCREMENTAL appends, and a repeated item id replaces the older row', async () => {
    const ds = await dataset(ITEMS_SCHEMA, 'Items');
    await expect(importJob(ds, writeCsv(dir, 'x.csv', 'ITEM_ID,GENRES,CREATION_TIMESTAMP\n'), 'INCREMENTAL')).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/first import .* must use importMode FULL/) });
    await importJob(ds, writeCsv(dir, 'items1.csv', 'ITEM_ID,GENRES,CREATION_TIMESTAMP\na,Comedy,1\nb,Drama,2\n'));
    await importJob(ds, writeCsv(dir, 'items2.csv', 'ITEM_ID,GENRES,CREATION_TIMESTAMP\nb,Horror|Drama,3\nc,,4\n'), 'INCREMENTAL');
    const all = p.engine.datasets.all(ds, 'ITEMS', []);
    expect(all.rowCount).toBe(3);
    const g = all.columns.GENRES as { dictionary: string[]; codes: Int32Array };
    expect(Array.from(g.codes, (c) => (c < 0 ? null : g.dictionary[c]))).toEqual(['Comedy', 'Horror|Drama', null]);
    await importJob(ds, writeCsv(dir, 'items3.csv', 'ITEM_ID,GENRES,CREATION_TIMESTAMP\nz,Comedy,9\n'), 'FULL');
    expect(rows(ds)).toBe(1);
  });

  it('reads s3://bucket/key under the buckets directory, a folder of CSVs, and file:// URLs', async () => {
    const ds = await dataset();
    mkdirSync(join(dir, 'buckets', 'shop', 'events'), { recursive: true });
    const header = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n';
    writeFileSync(join(dir, 'buckets', 'shop', 'events', 'a.csv'), header + 'u1,i1,1,click\n');
    writeFileSync(join(dir, 'buckets', 'shop', 'events', 'b.csv'), header + 'u2,i2,2,click\nu3,i3,3,click\n');
    expect((await importJob(ds, 's3://shop/events/a.csv')).status).toBe('ACTIVE');
    expect(rows(ds)).toBe(1);
    expect((await importJob(ds, 's3://shop/events/')).status).toBe('ACTIVE');
    expect(rows(ds)).toBe(3);
    expect((await importJob(ds, `file://${join(dir, 'buckets', 'shop', 'events', 'b.csv')}`)).status).toBe('ACTIVE');
    expect(rows(ds)).toBe(2);
    const missing = await importJob(ds, 's3://shop/nothing-here.csv');
    expect(missing.failureReason).toMatch(/Invalid Data location/);
    await expect(importJob(ds, 's3://shop/../../etc/passwd')).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/outside the buckets directory/) });
  });
});
