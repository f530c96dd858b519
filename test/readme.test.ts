// The README's in-process quick start runs as written (against the built package).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, zipfInteractions } from './helpers/data.js';

describe('README', () => {
  it('in-process quick start: runs unchanged and prints recommendations', () => {
    const readme = readFileSync(resolve('README.md'), 'utf8');
    const block = /### In process, for unit tests\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README has an in-process quick start block').toBeTruthy();
    expect(block!.trim().split('\n').length).toBeLessThanOrEqual(15);
    const dir = tempDir();
    writeFileSync(join(dir, 'interactions.csv'), zipfInteractions({ users: 30, items: 12, perUser: 4 }).csv.replace(/,click$/gm, '').replace('USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE', 'USER_ID,ITEM_ID,TIMESTAMP'));
    // The snippet imports the package by name; point that one import at this checkout's build.
    const code = block!.replace("from 'personalize-local'", `from ${JSON.stringify(resolve('dist/index.js'))}`) + '\nconsole.log(JSON.stringify(itemList));\n';
    writeFileSync(join(dir, 'quickstart.mjs'), code);
    const run = spawnSync(process.execPath, ['quickstart.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const items = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { itemId: string }[];
    expect(items).toHaveLength(10);
    expect(items[0]!.itemId).toBe('item-0');
  });

  it('evaluate quick start: the command runs as written on the shipped sample data', () => {
    const readme = readFileSync(resolve('README.md'), 'utf8');
    const line = /### Offline evaluation on your own CSV files\s+```sh\n(npx personalize-local evaluate [^\n]+)\n```/.exec(readme)?.[1];
    expect(line, 'the README has an evaluate quick start').toBeTruthy();
    const args = line!.split(/\s+/).slice(2).map((a) => (a === 'examples/sample-data' ? resolve(a) : a));
    const dir = tempDir();
    const run = spawnSync(process.execPath, [resolve('dist/cli.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('aws-user-personalization');
    const doc = JSON.parse(readFileSync(join(dir, 'evaluation', 'results.json'), 'utf8'));
    expect(doc.configurations.map((c: { name: string }) => c.name)).toEqual(['aws-user-personalization', 'aws-sims', 'aws-popularity-count']);
    expect(doc.protocol.seeds).toEqual([1, 2, 3, 4, 5]);
  });
});
