// What training sees of the interactions: users and items numbered by sorted id, each user's history in time
// order (equal times in file order), event filters applied, and the per-row columns moved with their rows.
import { describe, expect, it } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import type { TrainingData } from '../src/recipes/types.js';
import { Rng } from '../src/lib/random.js';

type Row = { user: string; item: string; timestamp: number; eventType?: string };

/** Each user's history as [item, timestamp, event type] triples, read back from the CSR. */
function histories(d: TrainingData): Record<string, [string, number, string | null][]> {
  const out: Record<string, [string, number, string | null][]> = {};
  d.userIds.forEach((u, x) => {
    out[u] = [];
    for (let p = d.userPtr[x]!; p < d.userPtr[x + 1]!; p++) {
      out[u].push([d.itemIds[d.itemIdx[p]!]!, d.timestamps[p]!, d.eventType[p]! >= 0 ? d.eventTypes[d.eventType[p]!]! : null]);
    }
  });
  return out;
}

/** The same histories the slow, obvious way: rows grouped by user, stably sorted by time. */
function expected(rows: Row[]): Record<string, [string, number, string | null][]> {
  const out: Record<string, [string, number, string | null][]> = {};
  for (const u of [...new Set(rows.map((r) => r.user))].sort()) {
    out[u] = rows.filter((r) => r.user === u).sort((a, b) => a.timestamp - b.timestamp).map((r) => [r.item, r.timestamp, r.eventType ?? null]);
  }
  return out;
}

describe('training data', () => {
  it('puts each user history in time order, equal times in file order', () => {
    const rows: Row[] = [
      { user: 'u2', item: 'b', timestamp: 30, eventType: 'click' },
      { user: 'u10', item: 'a', timestamp: 5, eventType: 'click' },
      { user: 'u2', item: 'a', timestamp: 10, eventType: 'watch' },
      { user: 'u2', item: 'c', timestamp: 30, eventType: 'watch' }, // same time as b: stays after it
      { user: 'u10', item: 'c', timestamp: 5, eventType: 'watch' },
      { user: 'u2', item: 'd', timestamp: 20, eventType: 'click' },
    ];
    const d = trainingDataFromRows(rows);
    expect(d.userIds).toEqual(['u10', 'u2']);
    expect(d.itemIds).toEqual(['a', 'b', 'c', 'd']);
    expect(histories(d)).toEqual({
      u10: [['a', 5, 'click'], ['c', 5, 'watch']],
      u2: [['a', 10, 'watch'], ['d', 20, 'click'], ['b', 30, 'click'], ['c', 30, 'watch']],
    });
    expect(d.maxTimestamp).toBe(30);
    expect([...d.weights]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('keeps only the rows of the trained event type, and numbers only the users and items they hold', () => {
    const rows: Row[] = [
      { user: 'u1', item: 'a', timestamp: 3, eventType: 'click' },
      { user: 'u1', item: 'b', timestamp: 1, eventType: 'watch' },
      { user: 'u2', item: 'c', timestamp: 2, eventType: 'click' },
      { user: 'u1', item: 'd', timestamp: 2, eventType: 'watch' },
    ];
    const d = trainingDataFromRows(rows, [], { eventType: 'watch' });
    expect(d.userIds).toEqual(['u1']);
    expect(d.itemIds).toEqual(['b', 'd']);
    expect(histories(d)).toEqual({ u1: [['b', 1, 'watch'], ['d', 2, 'watch']] });
    expect(d.maxTimestamp).toBe(2);
  });

  it('gives each row its event weight, moved with the row when its history is sorted', () => {
    const rows: Row[] = [
      { user: 'u1', item: 'a', timestamp: 9, eventType: 'buy' },
      { user: 'u1', item: 'b', timestamp: 1, eventType: 'click' },
      { user: 'u1', item: 'c', timestamp: 5, eventType: 'view' }, // not listed: left out
    ];
    const d = trainingDataFromRows(rows, [], { eventParameters: [{ eventType: 'buy', weight: 3 }, { eventType: 'click', weight: 0.5 }] });
    expect(histories(d)).toEqual({ u1: [['b', 1, 'click'], ['a', 9, 'buy']] });
    expect([...d.weights]).toEqual([0.5, 3]);
  });

  it('matches the obvious grouping on a shuffled log with many equal times', () => {
    const rng = new Rng(11);
    const rows: Row[] = Array.from({ length: 3000 }, () => ({
      user: `u${rng.int(200)}`, item: `i${rng.int(300)}`, timestamp: 1_700_000_000 + rng.int(50), eventType: ['click', 'watch'][rng.int(2)]!,
    }));
    expect(histories(trainingDataFromRows(rows))).toEqual(expected(rows));
  });
});
