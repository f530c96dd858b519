// What the workbench reads and compares: schemas from headers or .avsc files, numeric metadata, configurations
// named and tuned as a solution version would be, and the baseline picked by name.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { planted, writePlanted } from './helpers/planted.js';

const data = writePlanted(join(tempDir('wb-in-'), 'data'), 'clusters', { users: 200 });
const run = (o: Parameters<typeof evaluate>[0]) => evaluate({ data, workers: 0, out: false, seeds: 1, sampleUsers: 0, ...o });

describe('schemas', () => {
  test('inferred from the header: reserved names get their types, numeric metadata becomes double', async () => {
    const items = planted('clusters', { users: 200 }).items.trim().split('\n').map((l, i) => `${l},${i === 0 ? 'PRICE' : (i % 7) + 0.5}`).join('\n');
    writeFileSync(join(data, 'items.csv'), items + '\n');
    const r = await run({ recipes: ['aws-popularity-count'] });
    expect(r.input.items!.schemaInferred).toBe(true);
    expect(r.input.items!.schema).toMatchObject({ type: 'record', name: 'Items', fields: [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'GENRES', type: ['null', 'string'], categorical: true },
      { name: 'CREATION_TIMESTAMP', type: ['null', 'long'] },
      { name: 'PRICE', type: ['null', 'double'] },
    ] });
    expect(r.input.interactions.schema).toMatchObject({ fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: ['null', 'string'] }] });
  });

  test('given as an Avro schema file with --schema', async () => {
    const avsc = join(tempDir('wb-in-'), 'items.avsc');
    writeFileSync(avsc, JSON.stringify({ type: 'record', name: 'Items', fields: [
      { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: 'string', categorical: true }, { name: 'CREATION_TIMESTAMP', type: 'long' }, { name: 'PRICE', type: 'float' },
    ] }));
    const r = await run({ recipes: ['aws-popularity-count'], schemas: { Items: avsc } });
    expect(r.input.items!.schemaInferred).toBe(false);
    expect(r.input.items!.schema).toMatchObject({ fields: [{ name: 'ITEM_ID' }, { name: 'GENRES', categorical: true }, { name: 'CREATION_TIMESTAMP', type: 'long' }, { name: 'PRICE', type: 'float' }] });
    // A schema that does not fit the dataset type is refused as CreateDataset would.
    writeFileSync(avsc, JSON.stringify({ type: 'record', name: 'Items', fields: [{ name: 'ITEM_ID', type: 'string' }] }));
    await expect(run({ schemas: { Items: avsc } })).rejects.toThrow(/items\.avsc: Invalid schema: for a dataset of type ITEMS the schema needs at least one metadata field/);
  });
});

describe('configurations', () => {
  test('repeated recipes are numbered, entries keep their names, the baseline is found by name', async () => {
    const r = await run({
      recipes: ['aws-popularity-count', 'aws-popularity-count'], baseline: 'clicks-only',
      config: [{ name: 'clicks-only', recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count', eventType: 'click' }],
    });
    expect(r.configurations.map((c) => [c.name, c.isBaseline])).toEqual([['aws-popularity-count', false], ['aws-popularity-count#2', false], ['clicks-only', true]]);
    expect(r.configurations[2]!.solution).toEqual({ name: 'clicks-only', recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count', eventType: 'click' });
    expect(r.configurations[0]!.model.comparison.normalized_discounted_cumulative_gain_at_10!.against).toBe('clicks-only');
  });

  test('performHPO tunes on an inner split and reports what it chose on each seed', async () => {
    const r = await run({
      seeds: 2, recipes: [], config: [{ name: 'sims-hpo', recipeArn: 'arn:aws:personalize:::recipe/aws-sims', performHPO: true,
        solutionConfig: { hpoConfig: { hpoResourceConfig: { maxNumberOfTrainingJobs: '3' }, algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'min_cointeraction_count', minValue: 0, maxValue: 5 }] } } } }],
    });
    const t = r.configurations[0]!.tuning!;
    expect(t.kind).toBe('hpo');
    expect(t.objective).toBe('normalized_discounted_cumulative_gain_at_25');
    expect(t.chosen.map((c) => c.seed)).toEqual([1, 2]);
    for (const c of t.chosen) expect(Object.keys(c.params)).toEqual(['min_cointeraction_count']);
  });
});
