// State directories made before regions kept every resource's files without a region folder. Resources
// of regions other than us-east-1 (in-process clients with a `region` option) have theirs moved into
// `@<region>/` once, at startup, so they are found where the stores now look (store/region.ts).
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { regionFolder } from '../region.js';
import type { ResourceRecord } from './types.js';

/** The files of `rec` under the state directory, relative to it, without the region folder. */
function unqualified(rec: ResourceRecord): string[][] {
  const tail = rec.arn.split(':').slice(5).join(':').split('/');
  switch (rec.kind) {
    case 'dataset': return [['datasets', ...tail.slice(1)]];
    case 'solutionVersion':
    case 'recommender': return [['models', ...tail.slice(0, -1), `${tail.at(-1)}.model`]];
    case 'datasetGroup': return [['events', `${tail.at(-1)}.eventids`]];
    default: return [];
  }
}

export function adoptUnqualifiedFiles(dataDir: string, records: Iterable<ResourceRecord>): void {
  for (const rec of records) {
    const region = regionFolder(rec.arn);
    if (!region.length) continue;
    for (const [top, ...rest] of unqualified(rec)) {
      const from = join(dataDir, top!, ...rest);
      const to = join(dataDir, top!, ...region, ...rest);
      if (existsSync(from) && !existsSync(to)) {
        mkdirSync(dirname(to), { recursive: true });
        renameSync(from, to);
      }
    }
  }
}
