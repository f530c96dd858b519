// The global time split: train on everything before the cut, hold out everything at or after it.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { splitByTime } from '../src/engine/evaluation/time-split.js';
import { evaluate } from '../src/workbench/evaluate.js';
import { tempDir } from './helpers/data.js';
import { planted, writePlanted } from './helpers/planted.js';

describe('splitByTime', () => {
  const rows = planted('clusters', { users: 120 }).interactions.trim().split('\n').slice(1).map((l) => {
    const [user, item, ts] = l.split(',');
    return { user: user!, item: item!, timestamp: Number(ts) };
  });
  const data = trainingDataFromRows(rows);
  const cut = [...rows].sort((a, b) => a.timestamp - b.timestamp)[Math.floor(rows.length * 0.8)]!.timestamp;
  const { train, test: testUsers, heldOutRows } = splitByTime(data, cut);

  test('holds out exactly the rows at or after the cut', () => {
    const after = rows.filter((r) => r.timestamp >= cut);
    expect(heldOutRows).toBe(after.length);
    expect(train.itemIdx.length).toBe(rows.length - after.length);
    expect(Math.max(...train.timestamps)).toBeLessThan(cut);
    // Per user: the training rows are the user's rows before the cut, the relevant items those after it.
    for (const t of testUsers) {
      const mine = rows.filter((r) => r.user === t.user);
      const u = train.userIds.indexOf(t.user);
      const trained = Array.from(train.itemIdx.subarray(train.userPtr[u]!, train.userPtr[u + 1]!), (i) => train.itemIds[i]);
      expect(trained).toEqual(mine.filter((r) => r.timestamp < cut).sort((a, b) => a.timestamp - b.timestamp).map((r) => r.item));
      expect(Array.from(t.history, (i) => data.itemIds[i])).toEqual(trained);
      expect(new Set(Array.from(t.relevant, (i) => data.itemIds[i]))).toEqual(new Set(mine.filter((r) => r.timestamp >= cut).map((r) => r.item)));
    }
    // Every user with a row after the cut is a test user, and no other.
    expect(new Set(testUsers.map((t) => t.user))).toEqual(new Set(after.map((r) => r.user)));
  });

  test('keeps the item numbering and every user', () => {
    expect(train.itemIds).toBe(data.itemIds);
    expect(train.userIds).toBe(data.userIds);
  });
});

describe('evaluate --split', () => {
  const dataDir = writePlanted(join(tempDir('wb-time-'), 'data'), 'clusters', { users: 300 });

  test('time:<ISO date> trains on the past and tests on the users active after the cut', async () => {
    const r = await evaluate({ data: dataDir, recipes: ['aws-user-personalization'], split: 'time:2020-12-01', seeds: 2, workers: 0, out: false });
    expect(r.protocol.split).toEqual({ kind: 'time', cut: '2020-12-01T00:00:00.000Z', cutEpochSeconds: Date.parse('2020-12-01') / 1000, spec: 'time:2020-12-01 (2020-12-01T00:00:00.000Z)' });
    const up = r.configurations[0]!;
    expect(up.model.metrics.normalized_discounted_cumulative_gain_at_10!.mean).toBeGreaterThan(0);
    expect(up.model.segments.map((s) => s.segment)).toContain('20+');
  });

  test('last:<N>d cuts N days before the newest interaction', async () => {
    const r = await evaluate({ data: dataDir, recipes: ['aws-popularity-count'], split: 'last:10d', seeds: 1, workers: 0, out: false });
    const newest = Math.max(...planted('clusters', { users: 300 }).interactions.trim().split('\n').slice(1).map((l) => Number(l.split(',')[2])));
    expect(r.protocol.split.kind === 'time' && r.protocol.split.cutEpochSeconds).toBe(newest - 10 * 86_400);
  });

  test('a cut after the data, or a malformed one, is refused with the reason', async () => {
    await expect(evaluate({ data: dataDir, split: 'time:2030-01-01', out: false, workers: 0 })).rejects.toThrow(/no interaction is at or after 2030-01-01T00:00:00.000Z; the data ends at 2020-\d\d-\d\dT.*Pick an earlier cut/);
    await expect(evaluate({ data: dataDir, split: 'time:yesterday', out: false, workers: 0 })).rejects.toThrow(/the date must be ISO 8601/);
    await expect(evaluate({ data: dataDir, split: 'week', out: false, workers: 0 })).rejects.toThrow(/use personalize, time:<ISO date> .* or last:<N>d/);
  });
});
