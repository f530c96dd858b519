// Data with planted structure for the console's tests: four genres of 15 items; each user keeps to one genre,
// so a user-personalization list follows the user's genre, and clicks on another genre visibly move it.
// One item's title is markup, to prove the console shows it as text.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBatchInferenceJobCommand, CreateCampaignCommand, CreateDatasetCommand, CreateDatasetGroupCommand, CreateDatasetImportJobCommand,
  CreateFilterCommand, CreateRecommenderCommand, CreateSchemaCommand, CreateSolutionCommand, CreateSolutionVersionCommand, PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { Rng } from '../../src/lib/random.js';

export const GENRES = ['Drama', 'Comedy', 'Horror', 'Documentary'];
export const ITEMS_PER_GENRE = 15;
export const MARKUP_TITLE = '<img src=x onerror="document.title=\'pwned\'"> & <b>bold</b>';

export const INTERACTIONS = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }],
});
export const ITEMS = JSON.stringify({
  type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'TITLE', type: ['null', 'string'], textual: true },
    { name: 'CREATION_TIMESTAMP', type: 'long' },
  ],
});

const genreOf = (item: number) => Math.floor(item / ITEMS_PER_GENRE);
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** users: 240 regular users (12 interactions in their genre, one in another) and 12 light users (3 interactions). */
export function plantedCsvs(seed = 7): { interactions: string; items: string } {
  const rng = new Rng(seed);
  const items = ['ITEM_ID,GENRES,TITLE,CREATION_TIMESTAMP'];
  for (let i = 0; i < GENRES.length * ITEMS_PER_GENRE; i++) {
    const title = i === 3 ? MARKUP_TITLE : `${GENRES[genreOf(i)]} title ${i}`;
    items.push(`item-${i},${GENRES[genreOf(i)]},${quote(title)},${1_690_000_000 + i * 3600}`);
  }
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const pick = (genre: number) => genre * ITEMS_PER_GENRE + Math.min(ITEMS_PER_GENRE - 1, Math.floor(rng.next() * rng.next() * ITEMS_PER_GENRE));
  let t = 1_700_000_000;
  for (let u = 0; u < 240; u++) {
    const genre = u % GENRES.length;
    for (let k = 0; k < 12; k++) rows.push(`user-${u},item-${pick(genre)},${(t += 60)},${k % 4 === 3 ? 'purchase' : 'click'}`);
    rows.push(`user-${u},item-${pick((genre + 1 + Math.floor(rng.next() * 3)) % GENRES.length)},${(t += 60)},click`);
  }
  for (let u = 0; u < 12; u++) for (let k = 0; k < 3; k++) rows.push(`light-${u},item-${pick(0)},${(t += 60)},click`);
  return { interactions: rows.join('\n') + '\n', items: items.join('\n') + '\n' };
}

/**
 * A dataset group "shop" through the official SDK: both datasets imported, a user-personalization and a
 * popularity-count campaign, two filters, and one finished batch inference job. No event tracker (the console
 * offers to create one). Files go under `bucketsDir` (the server's `<data dir>/buckets`).
 */
export async function seedShop(endpoint: string, bucketsDir: string): Promise<{ groupArn: string; campaigns: { up: string; pop: string } }> {
  const client = new PersonalizeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { interactions, items } = plantedCsvs();
  mkdirSync(join(bucketsDir, 'shop', 'batch'), { recursive: true });
  writeFileSync(join(bucketsDir, 'shop', 'interactions.csv'), interactions);
  writeFileSync(join(bucketsDir, 'shop', 'items.csv'), items);
  writeFileSync(join(bucketsDir, 'shop', 'batch', 'users.json'), ['user-0', 'user-1', 'light-0'].map((u) => JSON.stringify({ userId: u })).join('\n') + '\n');
  const send = client.send.bind(client) as (c: unknown) => Promise<Record<string, any>>;
  const { schemaArn: iSchema } = await send(new CreateSchemaCommand({ name: 'shop-interactions', schema: INTERACTIONS }));
  const { schemaArn: itSchema } = await send(new CreateSchemaCommand({ name: 'shop-items', schema: ITEMS }));
  const { datasetGroupArn } = await send(new CreateDatasetGroupCommand({ name: 'shop' }));
  const { datasetArn: iArn } = await send(new CreateDatasetCommand({ name: 'interactions', schemaArn: iSchema, datasetGroupArn, datasetType: 'Interactions' }));
  const { datasetArn: itArn } = await send(new CreateDatasetCommand({ name: 'items', schemaArn: itSchema, datasetGroupArn, datasetType: 'Items' }));
  const roleArn = 'arn:aws:iam::000000000000:role/personalize';
  await send(new CreateDatasetImportJobCommand({ jobName: 'interactions-1', datasetArn: iArn, dataSource: { dataLocation: 's3://shop/interactions.csv' }, roleArn }));
  await send(new CreateDatasetImportJobCommand({ jobName: 'items-1', datasetArn: itArn, dataSource: { dataLocation: 's3://shop/items.csv' }, roleArn }));
  // A failed import shows its reason in the console.
  await send(new CreateDatasetImportJobCommand({ jobName: 'items-missing', datasetArn: itArn, dataSource: { dataLocation: 's3://shop/no-such-file.csv' }, roleArn, importMode: 'INCREMENTAL' }));
  const up = await send(new CreateSolutionCommand({ name: 'personal', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization' }));
  const pop = await send(new CreateSolutionCommand({ name: 'popular', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' }));
  const { solutionVersionArn: upVersion } = await send(new CreateSolutionVersionCommand({ solutionArn: up.solutionArn }));
  const { solutionVersionArn: popVersion } = await send(new CreateSolutionVersionCommand({ solutionArn: pop.solutionArn }));
  const { campaignArn: upCampaign } = await send(new CreateCampaignCommand({ name: 'personal-campaign', solutionVersionArn: upVersion,
    campaignConfig: { itemExplorationConfig: { explorationWeight: '0.1', explorationItemAgeCutOff: '3650' } } }));
  const { campaignArn: popCampaign } = await send(new CreateCampaignCommand({ name: 'popular-campaign', solutionVersionArn: popVersion }));
  await send(new CreateFilterCommand({ name: 'unseen', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "purchase")' }));
  await send(new CreateFilterCommand({ name: 'by-genre', datasetGroupArn, filterExpression: 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)' }));
  await send(new CreateBatchInferenceJobCommand({ jobName: 'nightly', solutionVersionArn: upVersion, numResults: 5, roleArn,
    jobInput: { s3DataSource: { path: 's3://shop/batch/users.json' } }, jobOutput: { s3DataDestination: { path: 's3://shop/batch/out/' } } }));
  client.destroy();
  return { groupArn: datasetGroupArn, campaigns: { up: upCampaign, pop: popCampaign } };
}

/**
 * An ECOMMERCE domain dataset group "domain-shop" with the same interactions and one recommender,
 * "for-you" (aws-ecomm-recommended-for-you, which leaves out what the user purchased). Files go under `bucketsDir`.
 */
export async function seedDomainShop(endpoint: string, bucketsDir: string): Promise<{ groupArn: string; recommenderArn: string }> {
  const client = new PersonalizeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  mkdirSync(join(bucketsDir, 'domain-shop'), { recursive: true });
  writeFileSync(join(bucketsDir, 'domain-shop', 'interactions.csv'), plantedCsvs().interactions);
  const send = client.send.bind(client) as (c: unknown) => Promise<Record<string, any>>;
  const { schemaArn } = await send(new CreateSchemaCommand({ name: 'domain-shop-interactions', schema: INTERACTIONS, domain: 'ECOMMERCE' }));
  const { datasetGroupArn } = await send(new CreateDatasetGroupCommand({ name: 'domain-shop', domain: 'ECOMMERCE' }));
  const { datasetArn } = await send(new CreateDatasetCommand({ name: 'interactions', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
  await send(new CreateDatasetImportJobCommand({ jobName: 'domain-interactions-1', datasetArn, dataSource: { dataLocation: 's3://domain-shop/interactions.csv' }, roleArn: 'arn:aws:iam::000000000000:role/personalize' }));
  const { recommenderArn } = await send(new CreateRecommenderCommand({ name: 'for-you', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you' }));
  client.destroy();
  return { groupArn: datasetGroupArn, recommenderArn };
}

/**
 * A dataset group "actions-shop" for aws-next-best-action: 120 users in two taste groups (A: even, B: odd) who
 * mostly take their group's actions, with a campaign "next-actions". Files go under `bucketsDir`.
 */
export async function seedActions(endpoint: string, bucketsDir: string): Promise<{ groupArn: string; campaignArn: string }> {
  const client = new PersonalizeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const send = client.send.bind(client) as (c: unknown) => Promise<Record<string, any>>;
  // Within Personalize's 6-week window of the server's time, where action interactions count.
  const { now } = await (await fetch(`${endpoint}/_personalize/health`)).json() as { now: number };
  const DAY = 86_400, T0 = Math.floor(now) - 25 * DAY;
  const items = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const taken = ['USER_ID,ACTION_ID,EVENT_TYPE,TIMESTAMP'];
  const actions = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
  for (let i = 0; i < 120; i++) {
    const g = i % 2 ? 'b' : 'a';
    for (let k = 0; k < 10; k++) items.push(`actor-${i},${g}-item${(i + k) % 10},${T0 + i * 100 + k},click`);
    actions.forEach((a, x) => {
      const t = T0 + DAY * (1 + (i % 20)) + ((x + i) % 6) * 600;
      taken.push(`actor-${i},${a},Viewed,${t}`, `actor-${i},${a},${(a[0] === g ? (i >> 1) % 5 !== 0 : (i >> 1) % 6 === 0) ? 'Taken' : 'Not taken'},${t + 60}`);
    });
  }
  mkdirSync(join(bucketsDir, 'actions-shop'), { recursive: true });
  writeFileSync(join(bucketsDir, 'actions-shop', 'interactions.csv'), items.join('\n') + '\n');
  writeFileSync(join(bucketsDir, 'actions-shop', 'actions.csv'), ['ACTION_ID,VALUE,KIND', ...actions.map((a) => `${a},10,group-${a[0]}`)].join('\n') + '\n');
  writeFileSync(join(bucketsDir, 'actions-shop', 'action-interactions.csv'), taken.join('\n') + '\n');
  const schema = (name: string, fields: { name: string; type: unknown; categorical?: boolean }[]) => JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });
  const { datasetGroupArn } = await send(new CreateDatasetGroupCommand({ name: 'actions-shop' }));
  const roleArn = 'arn:aws:iam::000000000000:role/personalize';
  const dataset = async (name: string, type: string, fields: { name: string; type: unknown; categorical?: boolean }[]) => {
    const { schemaArn } = await send(new CreateSchemaCommand({ name: `actions-shop-${name}`, schema: schema(type.replace('_', ''), fields) }));
    const { datasetArn } = await send(new CreateDatasetCommand({ name, schemaArn, datasetGroupArn, datasetType: type }));
    await send(new CreateDatasetImportJobCommand({ jobName: `actions-shop-${name}`, datasetArn, dataSource: { dataLocation: `s3://actions-shop/${name}.csv` }, roleArn }));
  };
  await dataset('interactions', 'Interactions', [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }]);
  await dataset('actions', 'Actions', [{ name: 'ACTION_ID', type: 'string' }, { name: 'VALUE', type: ['null', 'long'] }, { name: 'KIND', type: ['null', 'string'], categorical: true }]);
  await dataset('action-interactions', 'Action_Interactions', [{ name: 'USER_ID', type: 'string' }, { name: 'ACTION_ID', type: 'string' }, { name: 'EVENT_TYPE', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }]);
  const { solutionArn } = await send(new CreateSolutionCommand({ name: 'next-actions', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-next-best-action' }));
  const { solutionVersionArn } = await send(new CreateSolutionVersionCommand({ solutionArn }));
  const { campaignArn } = await send(new CreateCampaignCommand({ name: 'next-actions', solutionVersionArn }));
  client.destroy();
  return { groupArn: datasetGroupArn, campaignArn };
}
