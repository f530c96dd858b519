// The routing table must list exactly the operations of the installed SDK packages, and COVERAGE.md must
// match what the current build implements.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { OPERATIONS, SERVICE_PACKAGES, TARGET_PREFIX, coverageMarkdown, findByPath, findByTarget } from '../src/api/operations-table.js';
import { createLocalApi } from '../src/api/local.js';
import type { Service } from '../src/api/shape-types.js';

async function sdkOperations(pkg: string): Promise<string[]> {
  const mod: Record<string, unknown> = await import(pkg);
  return Object.keys(mod)
    .filter((k) => /^[A-Z]\w*Command$/.test(k) && k !== 'Command')
    .map((k) => k.slice(0, -'Command'.length))
    .sort();
}

describe('operations table', () => {
  for (const service of ['control', 'runtime', 'events'] as Service[]) {
    it(`${service}: exactly the commands of ${SERVICE_PACKAGES[service]}`, async () => {
      const table = OPERATIONS.filter((o) => o.service === service).map((o) => o.name).sort();
      // On failure after an SDK upgrade: regenerate src/api/shapes.generated.ts (scripts/gen-shapes.mjs).
      expect(table).toEqual(await sdkOperations(SERVICE_PACKAGES[service]));
    });
  }

  it('routes: control by target, runtime/events by path (also under a prefix)', () => {
    expect(OPERATIONS).toHaveLength(79);
    for (const o of OPERATIONS) {
      expect(o.method).toBe('POST');
      if (o.service === 'control') {
        expect(o).toMatchObject({ protocol: 'awsJson1_1', path: '/', target: TARGET_PREFIX + o.name });
        expect(findByTarget(o.target!)).toBe(o);
      } else {
        expect(o.protocol).toBe('restJson1');
        expect(o.target).toBeUndefined();
        expect(findByPath(o.path)).toBe(o);
        expect(findByPath(`/prefix${o.path}`)).toBe(o);
      }
    }
    expect(findByPath('/recommendations')?.name).toBe('GetRecommendations');
    expect(findByPath('/events')?.name).toBe('PutEvents');
    expect(findByPath('/')).toBeUndefined();
    expect(findByTarget('AmazonPersonalize.Nope')).toBeUndefined();
  });
});

describe('COVERAGE.md', () => {
  it('is up to date with the implemented operations', async () => {
    const local = await createLocalApi({ inMemory: true });
    try {
      const expected = coverageMarkdown(local.api);
      const onDisk = readFileSync(new URL('../COVERAGE.md', import.meta.url), 'utf8');
      expect(onDisk, 'COVERAGE.md is stale: regenerate it with `npm run build && node dist/cli.js coverage > COVERAGE.md`').toBe(expected);
    } finally {
      await local.close();
    }
  });
});
