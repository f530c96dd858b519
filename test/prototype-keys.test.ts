// A caller's strings used as keys stay plain data: schema columns named __proto__ / constructor are
// imported and returned as metadata, and a user id named __proto__ can be deleted by a data deletion job.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { tempDir } from './helpers/data.js';

it('columns and user ids named after Object.prototype members are plain keys', async () => {
  const dir = tempDir();
  const p = new LocalPersonalize({ inMemory: true, trainingWorkers: 0, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
  try {
    const users = ['__proto__', 'constructor', ...Array.from({ length: 18 }, (_, u) => `u${u}`)];
    const rows = users.flatMap((u, n) => [0, 1, 2, 3].map((k) => `${u},i${(n + k) % 7},${1_700_000_000 + n * 10 + k}`));
    writeFileSync(join(dir, 'i.csv'), ['USER_ID,ITEM_ID,TIMESTAMP', ...rows].join('\n') + '\n');
    writeFileSync(join(dir, 'm.csv'), 'ITEM_ID,__proto__,constructor\n' + Array.from({ length: 7 }, (_, i) => `i${i},a${i % 2},b${i % 3}`).join('\n') + '\n');
    writeFileSync(join(dir, 'del.csv'), 'USER_ID\n__proto__\nconstructor\n');
    const schema = (name: string, fields: unknown[]) => p.createSchema({ name, schema: JSON.stringify({ type: 'record', name, fields }) });
    const { schemaArn: si } = await schema('Interactions', [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }]);
    const { schemaArn: sm } = await schema('Items', [{ name: 'ITEM_ID', type: 'string' }, { name: '__proto__', type: 'string', categorical: true }, { name: 'constructor', type: 'string', categorical: true }]);
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const { datasetArn: di } = await p.createDataset({ name: 'i', schemaArn: si, datasetGroupArn, datasetType: 'Interactions' });
    const { datasetArn: dm } = await p.createDataset({ name: 'm', schemaArn: sm, datasetGroupArn, datasetType: 'Items' });
    await p.createDatasetImportJob({ jobName: 'i', datasetArn: di, dataSource: { dataLocation: join(dir, 'i.csv') } });
    await p.createDatasetImportJob({ jobName: 'm', datasetArn: dm, dataSource: { dataLocation: join(dir, 'm.csv') } });
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn, campaignConfig: { enableMetadataWithRecommendations: true } });
    const { itemList } = await p.getRecommendations({ campaignArn, userId: '__proto__', numResults: 2, metadataColumns: { ITEMS: ['__proto__', 'constructor'] } });
    for (const item of itemList) {
      expect(Object.keys(item.metadata)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(item.metadata)).toBe(Object.prototype);
    }
    const { dataDeletionJobArn } = await p.createDataDeletionJob({ jobName: 'd', datasetGroupArn, roleArn: 'arn:aws:iam::000000000000:role/r', dataSource: { dataLocation: join(dir, 'del.csv') } });
    const job = (await p.describeDataDeletionJob({ dataDeletionJobArn })).dataDeletionJob;
    expect([job?.status, job?.failureReason]).toEqual(['COMPLETED', undefined]);
    const deleted = p.engine.store.get('datasetGroup', datasetGroupArn).props.deletedUsers as Record<string, number>;
    expect(Object.keys(deleted).sort()).toEqual(['__proto__', 'constructor']);
  } finally {
    await p.close();
  }
});
