// Python users: a workflow through boto3 against `start`, when python3 with boto3 is installed (skipped
// otherwise). Whole doubles arrive as floats, ARNs carry the client's region, Create answers at once
// (one version per call), errors have AWS's statuses, a 20 MB body gets a typed error.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir, writeCsv, zipfInteractions } from './helpers/data.js';
import { startCli } from './helpers/start.js';

const SCRIPT = fileURLToPath(new URL('./python/boto3_check.py', import.meta.url));
const hasBoto3 = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
if (!hasBoto3) console.warn('boto3.test.ts: skipped, python3 with boto3 is not installed');

describe.skipIf(!hasBoto3)('boto3 against `personalize-local start`', () => {
  it('runs a workflow and sees what it would see on AWS', async () => {
    const dir = tempDir();
    writeCsv(dir, 'i.csv', zipfInteractions({ users: 40, items: 12, perUser: 30 }).csv);
    const server = await startCli([]);
    try {
      const out = JSON.parse(execFileSync('python3', [SCRIPT, server.url, dir], { encoding: 'utf8', timeout: 60_000 }));
      expect(out).toEqual({
        groupArn: 'arn:aws:personalize:eu-west-1:000000000000:dataset-group/shop',
        import: 'ACTIVE',
        weightType: 'float',
        version: 'ACTIVE',
        versions: 1,
        metricTypes: ['float'],
        items: 3,
        otherRegion: ['ResourceNotFoundException', 400],
        alreadyExists: 400,
        runtimeNotFound: 404,
        bigBody: 'InvalidInputException',
      });
    } finally {
      server.kill();
    }
  }, 90_000);
});
