// A side task runs a pure function of ours on a thread of its own and gives back what the calling thread would
// compute itself (the serving statistics of a training job).
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { callSpare, sideTask, spareThread } from '../src/lib/threads/side-task.js';
import { programUrl } from '../src/lib/threads/team.js';
import { servingStats, type ServingStatsInput } from '../src/engine/training/serving-stats.js';
import { Rng } from '../src/lib/random.js';

function sharedData(users: number, items: number): ServingStatsInput {
  const rng = new Rng(7), n = users * 20;
  const sab = <T>(C: new (b: SharedArrayBuffer) => T, bytes: number): T => new C(new SharedArrayBuffer(bytes));
  const userPtr = sab(Int32Array, (users + 1) * 4), itemIdx = sab(Int32Array, n * 4);
  const timestamps = sab(Float64Array, n * 8), eventType = sab(Int32Array, n * 4);
  for (let p = 0; p < n; p++) {
    itemIdx[p] = Math.floor(rng.next() * rng.next() * items); timestamps[p] = 1000 + p; eventType[p] = p % 3 - 1;
  }
  for (let u = 0; u <= users; u++) userPtr[u] = u * 20;
  return { itemIds: Array.from({ length: items }, (_, i) => `i${i}`), userPtr, itemIdx, timestamps, eventType, eventTypes: ['click', 'buy'] };
}

const url = programUrl(import.meta.url, '../src/engine/training/serving-stats.js');

describe('side task', () => {
  it('gives the serving statistics the calling thread computes', () => {
    const data = sharedData(500, 120);
    const task = sideTask<ReturnType<typeof servingStats>>(url, 'servingStats', [data, true]);
    let fellBack = false;
    const aside = task.join(() => { fellBack = true; return servingStats(data, true); });
    expect(fellBack).toBe(false);
    expect(aside).toEqual(servingStats(data, true));
    expect(aside.repeat!.events).toBeGreaterThan(0);
  });

  it('throws the function\'s error, and falls back when the thread gives nothing in time', () => {
    const failing = sideTask(url, 'noSuchExport', []);
    expect(() => failing.join(() => 0)).toThrow(/side task failed/);
    const slow = sideTask(url, 'servingStats', [sharedData(20_000, 500), true]);
    expect(slow.join(() => 'fallback', 0)).toBe('fallback');
  });
});

describe('spare thread', () => {
  it('is started before its call is known, and gives what the calling thread computes', () => {
    const spare = spareThread(url);
    const data = sharedData(500, 120);
    const aside = callSpare<ReturnType<typeof servingStats>>(spare, 'servingStats', [data, true]).join(() => { throw new Error('the spare thread gave nothing'); });
    expect(aside).toEqual(servingStats(data, true));
  });

  it('is called from the thread its handle was sent to', async () => {
    const spare = spareThread(url);
    const data = sharedData(500, 120);
    // A thread of its own calls it (as a training worker calls the one TrainingPool.warm started) and posts back the result.
    const caller = new Worker(`
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.sideTask).then(({ callSpare }) => {
        parentPort.postMessage(callSpare(workerData.spare, 'servingStats', [workerData.data, true]).join(() => 'nothing'));
      });`, { eval: true, workerData: { spare, data, sideTask: programUrl(import.meta.url, '../src/lib/threads/side-task.js') }, transferList: [spare.port] });
    const got = await new Promise((resolve, reject) => { caller.once('message', resolve); caller.once('error', reject); });
    await caller.terminate();
    expect(got).toEqual(servingStats(data, true));
  });

  it('reports the function\'s error', () => {
    expect(() => callSpare(spareThread(url), 'noSuchExport', []).join(() => 0)).toThrow(/side task failed/);
  });
});
