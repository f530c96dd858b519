// Moving time on a running server: on the system clock POST /_personalize/clock {"advanceSeconds": N}
// moves it forward (never back); {"now": ...} sets it on a manual clock only.
import { describe, expect, it } from 'vitest';
import { controlCall, startCli } from './helpers/start.js';

const clock = (url: string, body: string) => fetch(`${url}/_personalize/clock`, { method: 'POST', body }).then(async (r) => ({ status: r.status, json: await r.json() }));

describe('the clock of `start`', () => {
  it('system clock: advanceSeconds moves it forward, and realistic transitions see the time pass', async () => {
    const server = await startCli(['--transitions', 'realistic']);
    try {
      const { datasetGroupArn } = await controlCall(server.url, 'CreateDatasetGroup', { name: 'g' });
      expect((await controlCall(server.url, 'DescribeDatasetGroup', { datasetGroupArn })).datasetGroup.status).toBe('CREATE PENDING');
      const moved = await clock(server.url, '{"advanceSeconds": 7200}');
      expect(moved.status).toBe(200);
      expect(moved.json.advancedSeconds).toBe(7200);
      expect(moved.json.now).toBeGreaterThan(Date.now() / 1000 + 7199);
      expect((await controlCall(server.url, 'DescribeDatasetGroup', { datasetGroupArn })).datasetGroup.status).toBe('ACTIVE'); // its time has passed
      const { datasetGroupArn: later } = await controlCall(server.url, 'CreateDatasetGroup', { name: 'later' });
      const created = (await controlCall(server.url, 'DescribeDatasetGroup', { datasetGroupArn: later })).datasetGroup.creationDateTime;
      expect(created).toBeGreaterThan(Date.now() / 1000 + 7199);
    } finally {
      server.kill();
    }
  });

  it('system clock: never backwards, never {"now"}; bad bodies are typed errors', async () => {
    const server = await startCli([]);
    try {
      for (const body of ['{"advanceSeconds": -5}', '{"advanceSeconds": "5"}', '{"advanceSeconds": 1e300}', '[]', '"x"', '{}', '{"now": 0}']) {
        const r = await clock(server.url, body);
        expect(r.status, body).toBe(400);
        expect(r.json.__type).toBe('InvalidInputException');
      }
      expect((await clock(server.url, '{"now": 0}')).json.message).toContain('--clock manual');
      expect((await clock(server.url, '{"advanceSeconds": 0}')).status).toBe(200);
    } finally {
      server.kill();
    }
  });

  it('manual clock: advanceSeconds and now', async () => {
    const server = await startCli(['--clock', 'manual']);
    try {
      const set = await clock(server.url, '{"now": 1700000000}');
      expect(set.json).toEqual({ now: 1700000000 });
      expect((await clock(server.url, '{"advanceSeconds": 60}')).json).toEqual({ now: 1700000060 });
      expect((await clock(server.url, '{"now": 1e20}')).status).toBe(400);
    } finally {
      server.kill();
    }
  });
});
