// Bad input to the workbench: a one-line reason saying what is wrong and how to fix it, the same reasons an
// import job or CreateSolution gives, and a non-zero exit from the command.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LocalPersonalize } from '../src/api/client.js';
import { evaluate } from '../src/workbench/evaluate.js';
import { INTERACTIONS_SCHEMA, tempDir } from './helpers/data.js';
import { planted, writePlanted } from './helpers/planted.js';

const good = writePlanted(join(tempDir('wb-err-'), 'good'), 'clusters', { users: 200 });

function folder(files: Record<string, string>): string {
  const dir = join(tempDir('wb-err-'), 'data');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const run = (o: Parameters<typeof evaluate>[0]) => evaluate({ workers: 0, out: false, seeds: 1, ...o });

describe('bad data', () => {
  test('missing columns name the columns and what Personalize needs', async () => {
    const dir = folder({ 'interactions.csv': 'USER_ID,ITEM_ID\nu1,i1\n' });
    await expect(run({ data: dir })).rejects.toThrow('interactions.csv is missing the column(s) TIMESTAMP: its header is [USER_ID, ITEM_ID]; Interactions need USER_ID, ITEM_ID, TIMESTAMP');
  });

  test('a bad row fails with the import job\'s file/line/column reason', async () => {
    const rows = planted('clusters', { users: 200 }).interactions.split('\n');
    rows[3] = 'u1,i1,yesterday,click';
    const dir = folder({ 'interactions.csv': rows.join('\n') });
    const err = await run({ data: dir }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('InvalidInputException');
    expect((err as Error).message).toMatch(/^interactions\.csv line 4, column TIMESTAMP: /);
    // The very words of a dataset import job given the same file.
    const p = new LocalPersonalize({ inMemory: true });
    try {
      const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
      const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
      const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
      const { datasetImportJobArn } = await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: join(dir, 'interactions.csv') } });
      const { datasetImportJob } = await p.describeDatasetImportJob({ datasetImportJobArn });
      expect(datasetImportJob!.failureReason).toContain((err as Error).message.replace(/^interactions\.csv/, ''));
    } finally {
      await p.close();
    }
  });

  test('too little data says how much is needed', async () => {
    const dir = folder({ 'interactions.csv': planted('clusters', { users: 20, perUser: [5, 5] }).interactions });
    await expect(run({ data: dir })).rejects.toThrow('too little data in the interactions: There are 100 interactions after filtering by event type and event value threshold; at least 1000 are needed.');
    await expect(run({ data: good, config: [{ recipeArn: 'arn:aws:personalize:::recipe/aws-sims', eventType: 'nope' }] }))
      .rejects.toThrow(/too little data in the interactions aws-sims trains on .*: There are 0 interactions after filtering/);
  });

  test('a folder without interactions.csv, and a missing file', async () => {
    await expect(run({ data: folder({ 'items.csv': 'ITEM_ID,GENRES\ni1,a\n' }) })).rejects.toThrow(/has no interactions\.csv; name the file with --interactions FILE/);
    await expect(run({ interactions: '/nonexistent/x.csv' })).rejects.toThrow('--interactions /nonexistent/x.csv: no such file.');
  });
});

describe('bad configurations', () => {
  test('an unknown recipe lists the recipes there are', async () => {
    await expect(run({ data: good, recipes: ['aws-nope'] })).rejects.toThrow(/^--recipe aws-nope: recipeArn arn:aws:personalize:::recipe\/aws-nope is not a Personalize recipe\. Recipes trained locally: .*aws-user-personalization/);
  });

  test('a recipe that does not recommend items to users says which do', async () => {
    await expect(run({ data: good, recipes: ['aws-item-affinity'] })).rejects.toThrow(/aws-item-affinity is a USER_SEGMENTATION recipe, which does not recommend items to users; the workbench compares aws-popularity-count, aws-trending-now, aws-sims/);
  });

  test('an unknown hyperparameter gives CreateSolution\'s error with the valid names', async () => {
    const config = [{ recipeArn: 'arn:aws:personalize:::recipe/aws-sims', solutionConfig: { algorithmHyperParameters: { nope: '1' } } }];
    await expect(run({ data: good, config })).rejects.toThrow('config entry 1: aws-sims has no hyperparameter "nope". Its hyperparameters: popularity_discount_factor, min_cointeraction_count');
  });

  test('shape errors and unknown fields of an entry name the field', async () => {
    await expect(run({ data: good, config: [{ recipeArn: 'arn:aws:personalize:::recipe/aws-sims', solutionConfig: { eventValueThreshold: 3 } }] }))
      .rejects.toThrow('config entry 1: solutionConfig.eventValueThreshold must be a string, not number 3.');
    await expect(run({ data: good, config: [{ recipe: 'aws-sims' }] })).rejects.toThrow(/config entry 1: unknown field "recipe"; an entry takes name, recipeArn, /);
    await expect(run({ data: good, config: [{ recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', campaignConfig: { itemExplorationConfig: { explorationWeight: '2' } } }] }))
      .rejects.toThrow('config entry 1: explorationWeight must be a number from 0 to 1 in a string (got "2").');
    await expect(run({ data: good, config: [{ recipeArn: 'arn:aws:personalize:::recipe/aws-sims', filterExpression: 'EXCLUDE ItemID WHERE Items.COLOUR IN ($C)' }] }))
      .rejects.toThrow(/config entry 1: Invalid filter expression: .*COLOUR/);
  });

  test('a config file that is not JSON', async () => {
    const file = join(tempDir('wb-err-'), 'c.json');
    writeFileSync(file, '[{"recipeArn": ');
    await expect(run({ data: good, config: file })).rejects.toThrow(/c\.json is not valid JSON .*; it must be a list of CreateSolution inputs\./);
  });
});

describe('the evaluate command', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'evaluate', ...args], { encoding: 'utf8', cwd: process.cwd() });

  test('bad input: exit 1 with one line on stderr', () => {
    const r = cli([good, '--recipe', 'aws-nope', '--workers', '0']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^personalize-local: --recipe aws-nope: recipeArn .* is not a Personalize recipe/);
  });

  test('a usage mistake: exit 2 with the usage', () => {
    const r = cli([good, '--seeds', 'many']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^personalize-local evaluate: --seeds must be an integer from 1 to 100, got "many"/);
    expect(r.stderr).toContain('Options of evaluate');
  });

  test('a run: exit 0, the summary table on stdout, a line per finished job on stderr, the three files', () => {
    const out = join(tempDir('wb-cli-'), 'out');
    const r = cli([good, '--recipe', 'aws-sims', '--seeds', '2', '--workers', '0', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ configuration\s+│ NDCG@10 \[95% interval\]/);
    expect(r.stdout).toMatch(/│ aws-sims\s+│ \d\.\d{3} \[/);
    expect(r.stderr).toMatch(/\[1\/4\] aws-sims seed 1\s+NDCG@10 \d\.\d{4}/);
    expect(r.stderr).toContain(`wrote ${join(out, 'results.json')}, ${join(out, 'results.csv')}, ${join(out, 'report.html')}`);
  });
});
