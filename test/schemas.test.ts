// Schema rules: what Personalize accepts at CreateSchema and at CreateDataset, and how it says no.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA } from './helpers/data.js';

const p = new LocalPersonalize({ inMemory: true });
afterAll(() => p.close());

const schema = (fields: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0', ...extra });
const ID_FIELDS = [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }];

async function rejects(s: string, pattern: RegExp) {
  await expect(p.createSchema({ name: `s${Math.abs(s.length)}x`, schema: s })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(pattern) });
}

describe('CreateSchema', () => {
  it('accepts the documented interactions, items and users schemas and describes them back', async () => {
    const { schemaArn } = await p.createSchema({ name: 'interactions-ok', schema: INTERACTIONS_SCHEMA });
    expect(schemaArn).toBe('arn:aws:personalize:us-east-1:000000000000:schema/interactions-ok');
    const { schema: d } = await p.describeSchema({ schemaArn });
    expect(d.schema).toBe(INTERACTIONS_SCHEMA);
    expect(d.name).toBe('interactions-ok');
    expect(d.creationDateTime).toBeInstanceOf(Date);
    await p.createSchema({ name: 'items-ok', schema: ITEMS_SCHEMA });
    await p.createSchema({
      name: 'users-ok',
      schema: JSON.stringify({ type: 'record', name: 'Users', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'AGE', type: ['int', 'null'] }] }),
    });
  });

  it('rejects a duplicate name with ResourceAlreadyExistsException', async () => {
    await p.createSchema({ name: 'dupe', schema: INTERACTIONS_SCHEMA });
    await expect(p.createSchema({ name: 'dupe', schema: INTERACTIONS_SCHEMA })).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });

  it('rejects invalid names before anything else', async () => {
    for (const name of ['-starts-with-dash', 'has space', 'x'.repeat(64), '']) {
      await expect(p.createSchema({ name, schema: INTERACTIONS_SCHEMA })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/^name /) });
    }
  });

  it('names each broken rule', async () => {
    await rejects('{not json', /not valid JSON/);
    await rejects(JSON.stringify({ type: 'enum', name: 'X', symbols: ['a'] }), /"type" must be "record"/);
    await rejects(schema([...ID_FIELDS, { name: 'TAGS', type: { type: 'array', items: 'string' } }]), /field "TAGS" .* flat/);
    await rejects(schema([...ID_FIELDS, { name: 'X', type: ['string', 'int'] }]), /field "X"/);
    await rejects(schema([...ID_FIELDS, { name: 'GENRES_FIELD_1', type: 'string' }, { name: 'GENRESFIELD1', type: 'string' }]), /same name alphanumerically/);
    await rejects(schema([...ID_FIELDS, { name: 'N', type: 'int', categorical: true }]), /only string fields/);
    await rejects(schema([{ name: 'ITEM_ID', type: 'string' }, { name: 'A', type: 'string', textual: true }, { name: 'B', type: 'string', textual: true }], { name: 'Items' }), /at most one textual/);
    await rejects(schema([{ name: 'FOO', type: 'string' }]), /match no dataset type/);
    await rejects(schema([...ID_FIELDS, { name: '1BAD', type: 'string' }]), /names must match/);
  });
});

describe('CreateDataset checks the schema against the dataset type', () => {
  it('requires the fields of the type, with their types', async () => {
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'dg-types' });
    const { schemaArn: bad } = await p.createSchema({
      name: 'ts-as-string',
      schema: schema([{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'string' }]),
    });
    await expect(p.createDataset({ name: 'd', schemaArn: bad, datasetGroupArn, datasetType: 'Interactions' }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/TIMESTAMP must be of type long/) });
    const { schemaArn: items } = await p.createSchema({ name: 'items-for-types', schema: ITEMS_SCHEMA });
    await expect(p.createDataset({ name: 'd', schemaArn: items, datasetGroupArn, datasetType: 'Interactions' }))
      .rejects.toMatchObject({ message: expect.stringMatching(/must have the field\(s\) USER_ID, TIMESTAMP/) });
    const { schemaArn: ev } = await p.createSchema({
      name: 'categorical-event-type',
      schema: schema([...ID_FIELDS, { name: 'EVENT_TYPE', type: 'string', categorical: true }]),
    });
    await expect(p.createDataset({ name: 'd', schemaArn: ev, datasetGroupArn, datasetType: 'INTERACTIONS' }))
      .rejects.toMatchObject({ message: expect.stringMatching(/EVENT_TYPE .* must not be marked "categorical"/) });
  });

  it('allows one dataset per type per group, accepts the type in any case, and rejects unknown types', async () => {
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'dg-one-each' });
    const { schemaArn } = await p.createSchema({ name: 'inter-one-each', schema: INTERACTIONS_SCHEMA });
    const { datasetArn } = await p.createDataset({ name: 'a', schemaArn, datasetGroupArn, datasetType: 'interactions' });
    expect(datasetArn).toBe('arn:aws:personalize:us-east-1:000000000000:dataset/dg-one-each/INTERACTIONS');
    await expect(p.createDataset({ name: 'b', schemaArn, datasetGroupArn, datasetType: 'Interactions' })).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await expect(p.createDataset({ name: 'c', schemaArn, datasetGroupArn, datasetType: 'Clicks' })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/datasetType "Clicks"/) });
  });

  it('keeps a schema while a dataset uses it', async () => {
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'dg-in-use' });
    const { schemaArn } = await p.createSchema({ name: 'in-use', schema: INTERACTIONS_SCHEMA });
    const { datasetArn } = await p.createDataset({ name: 'a', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    await expect(p.deleteSchema({ schemaArn })).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(p.deleteDatasetGroup({ datasetGroupArn })).rejects.toMatchObject({ name: 'ResourceInUseException', message: expect.stringContaining(datasetArn) });
    await p.deleteDataset({ datasetArn });
    await p.deleteSchema({ schemaArn });
    await p.deleteDatasetGroup({ datasetGroupArn });
    await expect(p.describeDatasetGroup({ datasetGroupArn })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
