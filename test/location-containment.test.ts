// Nothing is read or written outside its root: s3:// locations stay in their bucket after percent-decoding
// (%2e%2e in any case mix), symbolic links (files and folders) are followed only inside the buckets
// directory, NUL bytes are refused; on every job that reads or writes (imports, exports, batch inference
// and segment inputs and outputs, data deletion).
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
const buckets = join(dir, 'buckets');
const bucket = join(buckets, 'b');
const outside = join(dir, 'outside');
const p = new LocalPersonalize({ inMemory: true, bucketsDir: buckets, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
const role = 'arn:aws:iam::000000000000:role/r';
const data = zipfInteractions({ users: 30, items: 15, perUser: 5 });
let datasetGroupArn = '';
let datasetArn = '';
let versionArn = '';
let segmentVersionArn = '';
let n = 0;
const name = () => `job-${++n}`;

/** Encoded ways to write `..`: lower, upper and mixed case, half-encoded. */
const DOT_DOTS = ['%2e%2e', '%2E%2E', '%2e%2E', '.%2e', '%2E.'];

beforeAll(async () => {
  mkdirSync(join(bucket, 'folder'), { recursive: true });
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(bucket, 'int.csv'), data.csv);
  writeFileSync(join(outside, 'secret.csv'), data.csv);
  writeFileSync(join(outside, 'dir', 'secret.csv'), data.csv);
  writeFileSync(join(outside, 'lines.json'), '{"userId":"user-1"}\n');
  writeFileSync(join(outside, 'victim.txt'), 'untouched');
  writeFileSync(join(bucket, 'in.json'), '{"userId":"user-1"}\n');
  writeFileSync(join(bucket, 'items.json'), '{"itemId":"item-1"}\n');
  writeFileSync(join(bucket, 'users.csv'), 'USER_ID\nuser-29\n');
  writeFileSync(join(bucket, 'folder', 'a.csv'), data.csv);
  symlinkSync(join(outside, 'secret.csv'), join(bucket, 'link.csv')); // a file link out
  symlinkSync(join(outside, 'dir'), join(bucket, 'linkdir')); // a folder link out
  symlinkSync(join(outside, 'lines.json'), join(bucket, 'link.json'));
  symlinkSync(join(outside, 'secret.csv'), join(bucket, 'folder', 'z-link.csv')); // a link out inside a folder
  symlinkSync(join(bucket, 'int.csv'), join(bucket, 'inner-link.csv')); // a link that stays inside: fine
  mkdirSync(join(dir, 'plain'));
  symlinkSync(join(outside, 'secret.csv'), join(dir, 'plain', 'link.csv')); // the caller's own files: links are theirs

  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  ({ datasetGroupArn } = await p.createDatasetGroup({ name: 'g' }));
  ({ datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
  await p.createDatasetImportJob({ jobName: 'first', datasetArn, dataSource: { dataLocation: 's3://b/int.csv' } });
  const version = async (recipe: string) => {
    const { solutionArn } = await p.createSolution({ name: recipe, datasetGroupArn, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
    return (await p.createSolutionVersion({ solutionArn })).solutionVersionArn as string;
  };
  versionArn = await version('aws-user-personalization');
  segmentVersionArn = await version('aws-item-affinity');
});
afterAll(() => p.close());

const importFrom = (dataLocation: string) => p.createDatasetImportJob({ jobName: name(), datasetArn, dataSource: { dataLocation }, importMode: 'INCREMENTAL' });
const describeImport = async (arn: string) => (await p.describeDatasetImportJob({ datasetImportJobArn: arn })).datasetImportJob;
const inference = (input: string, output: string) => p.createBatchInferenceJob({
  jobName: name(), solutionVersionArn: versionArn, roleArn: role, jobInput: { s3DataSource: { path: input } }, jobOutput: { s3DataDestination: { path: output } },
});
const segments = (input: string, output: string) => p.createBatchSegmentJob({
  jobName: name(), solutionVersionArn: segmentVersionArn, roleArn: role, jobInput: { s3DataSource: { path: input } }, jobOutput: { s3DataDestination: { path: output } },
});
const exportTo = (path: string) => p.createDatasetExportJob({ jobName: name(), datasetArn, roleArn: role, ingestionMode: 'BULK', jobOutput: { s3DataDestination: { path } } });
const deletion = (dataLocation: string) => p.createDataDeletionJob({ jobName: name(), datasetGroupArn, roleArn: role, dataSource: { dataLocation } });
const refused = (pattern: RegExp) => ({ name: 'InvalidInputException', message: expect.stringMatching(pattern) });
/** Nothing new appeared outside the buckets directory. */
const outsideUntouched = () => {
  expect(readdirSync(dir).sort()).toEqual(['buckets', 'outside', 'plain']);
  expect(readdirSync(outside).sort()).toEqual(['dir', 'lines.json', 'secret.csv', 'victim.txt']);
  expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).toBe('untouched');
};

describe('percent-encoded .. is decoded before the containment check', () => {
  it('imports and data deletion refuse s3 keys that climb out, however `..` is encoded', async () => {
    for (const dots of DOT_DOTS) {
      await expect(importFrom(`s3://b/${dots}/${dots}/outside/secret.csv`)).rejects.toMatchObject(refused(/outside the buckets directory/));
      await expect(importFrom(`s3://b/${dots}/other/int.csv`)).rejects.toMatchObject(refused(/outside its bucket b/));
      await expect(deletion(`s3://b/${dots}/${dots}/outside/secret.csv`)).rejects.toMatchObject(refused(/outside/));
    }
    await expect(importFrom('s3://b/../../outside/secret.csv')).rejects.toMatchObject(refused(/outside the buckets directory/));
  });

  it('batch inference and segment outputs refuse them before the job exists; nothing is written outside', async () => {
    for (const dots of DOT_DOTS) {
      await expect(inference('s3://b/in.json', `s3://b/${dots}/${dots}/escaped/`)).rejects.toMatchObject(refused(/outside/));
      await expect(inference(`s3://b/${dots}/${dots}/outside/lines.json`, 's3://b/out/')).rejects.toMatchObject(refused(/outside/));
      await expect(segments('s3://b/items.json', `s3://b/${dots}/${dots}/escaped/`)).rejects.toMatchObject(refused(/outside/));
      await expect(segments(`s3://b/${dots}/${dots}/outside/lines.json`, 's3://b/out/')).rejects.toMatchObject(refused(/outside/));
      await expect(exportTo(`s3://b/${dots}/${dots}/escaped/`)).rejects.toMatchObject(refused(/outside/));
    }
    expect((await p.listBatchInferenceJobs({})).batchInferenceJobs).toEqual([]);
    outsideUntouched();
  });

  it('an encoded `..` that stays in the bucket, and a double-encoded one (a literal name), are fine', async () => {
    const ok = await importFrom('s3://b/folder/%2e%2e/int.csv');
    expect((await describeImport(ok.datasetImportJobArn)).status).toBe('ACTIVE');
    const out = await inference('s3://b/in.json', 's3://b/%252e%252e/');
    expect((await p.describeBatchInferenceJob({ batchInferenceJobArn: out.batchInferenceJobArn })).batchInferenceJob?.status).toBe('ACTIVE');
    expect(existsSync(join(bucket, '%2e%2e', 'in.json.out'))).toBe(true);
    outsideUntouched();
  });

  it('malformed percent-encoding is an input error', async () => {
    await expect(importFrom('s3://b/100%.csv')).rejects.toMatchObject(refused(/percent-encoding/));
  });
});

describe('NUL bytes are refused', () => {
  it('encoded or raw, in s3 keys, plain paths and file:// URLs, on reads and writes', async () => {
    for (const loc of ['s3://b/int.csv%00.txt', 's3://b/int\u0000.csv', `${bucket}/int.csv\u0000x`, `file://${bucket}/int.csv%00`]) {
      await expect(importFrom(loc)).rejects.toMatchObject(refused(/NUL/));
      await expect(deletion(loc)).rejects.toMatchObject(refused(/NUL/));
    }
    await expect(inference('s3://b/in.json', 's3://b/out%00/')).rejects.toMatchObject(refused(/NUL/));
    await expect(exportTo('s3://b/exp\u0000/')).rejects.toMatchObject(refused(/NUL/));
  });
});

describe('symbolic links are followed only inside the buckets directory', () => {
  it('a file link out: refused at Create for imports, data deletion, batch inputs', async () => {
    await expect(importFrom('s3://b/link.csv')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(deletion('s3://b/link.csv')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(inference('s3://b/link.json', 's3://b/out/')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(segments('s3://b/link.json', 's3://b/out/')).rejects.toMatchObject(refused(/symbolic link/));
  });

  it('a folder link out: refused for reads (s3 and plain paths into the buckets) and writes', async () => {
    await expect(importFrom('s3://b/linkdir/secret.csv')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(importFrom('s3://b/linkdir/')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(importFrom(`${bucket}/linkdir/secret.csv`)).rejects.toMatchObject(refused(/symbolic link/));
    await expect(importFrom(`file://${bucket}/linkdir/secret.csv`)).rejects.toMatchObject(refused(/symbolic link/));
    await expect(inference('s3://b/in.json', 's3://b/linkdir/')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(inference('s3://b/in.json', 's3://b/linkdir/new/deeper/')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(segments('s3://b/items.json', 's3://b/linkdir/')).rejects.toMatchObject(refused(/symbolic link/));
    await expect(exportTo('s3://b/linkdir/')).rejects.toMatchObject(refused(/symbolic link/));
    outsideUntouched();
  });

  it('a link out inside a folder that is read whole: the job fails with the reason, the data is unchanged', async () => {
    const { datasetImportJobArn } = await importFrom('s3://b/folder/');
    const job = await describeImport(datasetImportJobArn);
    expect(job?.status).toBe('CREATE FAILED');
    expect(job?.failureReason).toMatch(/z-link\.csv is a symbolic link out of the buckets directory/);
  });

  it('an output file name taken by a link: the link is not written through', async () => {
    symlinkSync(join(outside, 'victim.txt'), join(bucket, 'in.json.out'));
    const { batchInferenceJobArn } = await inference('s3://b/in.json', 's3://b/');
    const job = (await p.describeBatchInferenceJob({ batchInferenceJobArn })).batchInferenceJob;
    expect(job?.status).toBe('CREATE FAILED');
    expect(job?.failureReason).toMatch(/symbolic link/);
    const exportName = `job-${n + 1}`;
    symlinkSync(join(outside, 'victim.txt'), join(bucket, `${exportName}_part_00000.csv`));
    const { datasetExportJobArn } = await exportTo('s3://b/');
    expect((await p.describeDatasetExportJob({ datasetExportJobArn })).datasetExportJob?.status).toBe('ACTIVE');
    expect(readFileSync(join(bucket, `${exportName}_part_00000.csv`), 'utf8')).toMatch(/^USER_ID,ITEM_ID/); // the link was replaced, not followed
    outsideUntouched();
  });

  it('links that stay inside the buckets, and plain paths of the caller\'s own, are followed', async () => {
    expect(await describeImport((await importFrom('s3://b/inner-link.csv')).datasetImportJobArn)).toMatchObject({ status: 'ACTIVE' });
    expect((await describeImport((await importFrom(join(dir, 'plain', 'link.csv'))).datasetImportJobArn))?.status).toBe('ACTIVE');
    expect((await describeImport((await importFrom(writeCsv(outside, 'own.csv', data.csv))).datasetImportJobArn))?.status).toBe('ACTIVE');
  });
});
