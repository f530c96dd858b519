// Dataset exports that re-import to the same rows, data deletions that make a user unknown, and
// metric attributions checked against the schemas.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { parseSchema } from '../src/engine/data/schema.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv, zipfInteractions } from './helpers/data.js';

const dir = tempDir();
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));
const role = 'arn:aws:iam::000000000000:role/r';

async function group(csv = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,"a,b",1,click\nu2,"say ""hi""",2,click\nu3,plain,3,buy\n') {
  const p = new LocalPersonalize({ inMemory: true, bucketsDir: join(dir, 'buckets'), minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: writeCsv(dir, `in-${clients.length}.csv`, csv) } });
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  return { p, datasetGroupArn, datasetArn, trackingId };
}

describe('CreateDatasetExportJob', () => {
  it('writes BULK, PUT or ALL rows as CSV that imports back to the same rows', async () => {
    const { p, datasetArn, trackingId } = await group();
    await p.putEvents({ trackingId, userId: 'u9', sessionId: 's', eventList: [{ eventType: 'click', itemId: 'streamed', sentAt: 4 }] });
    const exportTo = async (jobName: string, ingestionMode: string) => {
      const { datasetExportJobArn } = await p.createDatasetExportJob({ jobName, datasetArn, roleArn: role, ingestionMode, jobOutput: { s3DataDestination: { path: 's3://exports/out/' } } });
      expect((await p.describeDatasetExportJob({ datasetExportJobArn })).datasetExportJob).toMatchObject({ status: 'ACTIVE', ingestionMode });
      return readFileSync(join(dir, 'buckets', 'exports', 'out', `${jobName}_part_00000.csv`), 'utf8');
    };
    expect(await exportTo('bulk', 'BULK')).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu1,"a,b",1,click\nu2,"say ""hi""",2,click\nu3,plain,3,buy\n');
    expect(await exportTo('put', 'PUT')).toBe('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\nu9,streamed,4,click\n');
    const all = await exportTo('all', 'ALL');
    const { p: q, datasetArn: again } = await group(all);
    const fields = parseSchema(INTERACTIONS_SCHEMA).fields;
    const before = p.engine.datasets.all(datasetArn, 'INTERACTIONS', fields);
    const after = q.engine.datasets.all(again, 'INTERACTIONS', fields);
    expect(after).toEqual(before);
  });
});

describe('CreateDataDeletionJob', () => {
  it("removes the listed users' rows from imported and streamed data", async () => {
    const data = zipfInteractions({ users: 10, items: 5, perUser: 3 });
    const { p, datasetGroupArn, datasetArn, trackingId } = await group(data.csv);
    await p.putEvents({ trackingId, userId: 'user-1', sessionId: 's', eventList: [{ eventType: 'click', itemId: 'item-4', sentAt: 9 }] });
    const { dataDeletionJobArn } = await p.createDataDeletionJob({
      jobName: 'forget', datasetGroupArn, roleArn: role, dataSource: { dataLocation: writeCsv(dir, 'forget.csv', 'USER_ID\nuser-1\nuser-2\nnobody\n') },
    });
    const { dataDeletionJob } = await p.describeDataDeletionJob({ dataDeletionJobArn });
    expect(dataDeletionJob).toMatchObject({ status: 'COMPLETED', numDeleted: 2 });
    const rows = p.engine.datasets.all(datasetArn, 'INTERACTIONS', parseSchema(INTERACTIONS_SCHEMA).fields);
    const users = rows.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
    const left = new Set(Array.from(users.codes, (c) => users.dictionary[c]));
    expect(left.has('user-1') || left.has('user-2')).toBe(false);
    expect(rows.rowCount).toBe(24);
    expect((await p.listDataDeletionJobs({ datasetGroupArn })).dataDeletionJobs[0].dataDeletionJobArn).toBe(dataDeletionJobArn);
  });
});

describe('CreateDataDeletionJob after a training with nothing streamed', () => {
  it('completes (the empty streamed part read by the training has the schema\'s columns)', async () => {
    const { p, datasetGroupArn } = await group(zipfInteractions({ users: 10, items: 5, perUser: 3 }).csv);
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    await p.createSolutionVersion({ solutionArn });
    const { dataDeletionJobArn } = await p.createDataDeletionJob({
      jobName: 'forget', datasetGroupArn, roleArn: role, dataSource: { dataLocation: writeCsv(dir, 'forget-2.csv', 'USER_ID\nuser-1\n') },
    });
    expect((await p.describeDataDeletionJob({ dataDeletionJobArn })).dataDeletionJob).toMatchObject({ status: 'COMPLETED', numDeleted: 1 });
  });
});

describe('metric attributions', () => {
  it('stores metrics whose expressions name numeric columns, and lists them', async () => {
    const { p, datasetGroupArn } = await group();
    const out = { roleArn: role, s3DataDestination: { path: 's3://metrics/' } };
    await expect(p.createMetricAttribution({ name: 'm', datasetGroupArn, metricsOutputConfig: out, metrics: [{ eventType: 'buy', metricName: 'revenue', expression: 'SUM(Items.PRICE)' }] }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/Items\.PRICE, which is not a column/) });
    await expect(p.createMetricAttribution({ name: 'm', datasetGroupArn, metricsOutputConfig: out, metrics: [{ eventType: 'buy', metricName: 'x', expression: 'AVG(1)' }] }))
      .rejects.toMatchObject({ message: expect.stringMatching(/SAMPLECOUNT/) });
    const { metricAttributionArn } = await p.createMetricAttribution({ name: 'm', datasetGroupArn, metricsOutputConfig: out, metrics: [{ eventType: 'buy', metricName: 'buys', expression: 'SAMPLECOUNT()' }] });
    await p.updateMetricAttribution({ metricAttributionArn, addMetrics: [{ eventType: 'click', metricName: 'clicks', expression: 'SAMPLECOUNT()' }], removeMetrics: ['buys'] });
    expect((await p.listMetricAttributionMetrics({ metricAttributionArn })).metrics).toEqual([{ eventType: 'click', metricName: 'clicks', expression: 'SAMPLECOUNT()' }]);
    expect((await p.describeMetricAttribution({ metricAttributionArn })).metricAttribution).toMatchObject({ name: 'm', datasetGroupArn, status: 'ACTIVE', metricsOutputConfig: out });
    await expect(p.createMetricAttribution({ name: 'm2', datasetGroupArn, metricsOutputConfig: out, metrics: [] })).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await p.deleteMetricAttribution({ metricAttributionArn });
    expect((await p.listMetricAttributions({ datasetGroupArn })).metricAttributions).toEqual([]);
  });
});
