// Generated datasets for tests: small, seeded, with a known popularity order.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/lib/random.js';

export const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
});

export const ITEMS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Items', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'CREATION_TIMESTAMP', type: 'long' },
  ],
});

export function tempDir(prefix = 'plocal-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Interactions where item i (0-based) is chosen with weight 1/(i+1): item-0 is the most popular,
 * and counts of unique users fall with the index. Returns the CSV and the true popularity order.
 */
export function zipfInteractions(opts: { users: number; items: number; perUser: number; seed?: number }): { csv: string; byUniqueUsers: string[]; rows: number } {
  const rng = new Rng(opts.seed ?? 1);
  const weights = Array.from({ length: opts.items }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const unique = new Map<string, Set<string>>();
  const count = new Map<string, number>();
  for (let u = 0; u < opts.users; u++) {
    for (let k = 0; k < opts.perUser; k++) {
      let r = rng.next() * total;
      let i = 0;
      while (r > weights[i]! && i < opts.items - 1) r -= weights[i++]!;
      const item = `item-${i}`;
      lines.push(`user-${u},${item},${1_700_000_000 + u * 100 + k},click`);
      if (!unique.has(item)) unique.set(item, new Set());
      unique.get(item)!.add(`user-${u}`);
      count.set(item, (count.get(item) ?? 0) + 1);
    }
  }
  const byUniqueUsers = [...unique.keys()].sort(
    (a, b) => unique.get(b)!.size - unique.get(a)!.size || count.get(b)! - count.get(a)! || (a < b ? -1 : 1),
  );
  return { csv: lines.join('\n') + '\n', byUniqueUsers, rows: lines.length - 1 };
}

export function writeCsv(dir: string, name: string, csv: string): string {
  const p = join(dir, name);
  writeFileSync(p, csv);
  return p;
}
