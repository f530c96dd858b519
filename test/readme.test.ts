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
});
