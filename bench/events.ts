// Streaming benchmark: PutEvents on a state directory as the stream grows (each call must cost the same
// at 10k streamed events as at the start), and a replay loop (PutEvents, then a filtered GetRecommendations
// that must see the new purchase) on 100k imported interactions, against GetRecommendations alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPersonalize } from '../src/index.js';
import { Rng } from '../src/lib/random.js';
import type { BenchResult } from './types.js';

const SCHEMA = JSON.stringify({ type: 'record', name: 'Interactions', fields: [
  { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }] });

async function group(p: LocalPersonalize, csv?: string) {
  const { schemaArn } = await p.createSchema({ name: 'i', schema: SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  if (csv) await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: csv } });
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  return { datasetGroupArn, trackingId: trackingId as string };
}

const event = (i: number, eventType = 'click') => ({ eventType, itemId: `i${i % 997}`, sentAt: new Date(1_800_000_000_000 + i * 1000) });

/** Milliseconds per PutEvents call over calls [from, to) of a stream on disk. */
async function streamOnDisk(): Promise<{ first: number; later: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'plocal-bench-events-'));
  const p = new LocalPersonalize({ dataDir: dir });
  try {
    const { trackingId } = await group(p);
    const timed = async (from: number, to: number) => {
      const t0 = performance.now();
      for (let i = from; i < to; i++) await p.putEvents({ trackingId, userId: `u${i % 100}`, sessionId: 's', eventList: [event(i)] });
      return (performance.now() - t0) / (to - from);
    };
    const first = await timed(0, 500);
    await timed(500, 9_500);
    return { first, later: await timed(9_500, 10_000) };
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds per replay step (PutEvents + filtered GetRecommendations) and per GetRecommendations alone. */
async function replay(): Promise<{ step: number; plain: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'plocal-bench-replay-'));
  const rng = new Rng(7);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < 5000; u++) for (let k = 0; k < 20; k++) lines.push(`u${u},i${rng.int(5000)},${1_700_000_000 + k},${k % 3 ? 'click' : 'purchase'}`);
  writeFileSync(join(dir, 'i.csv'), lines.join('\n'));
  const p = new LocalPersonalize({ inMemory: true });
  try {
    const { datasetGroupArn, trackingId } = await group(p, join(dir, 'i.csv'));
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn });
    const { filterArn } = await p.createFilter({ name: 'f', datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")' });
    const N = 1000;
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await p.getRecommendations({ campaignArn, userId: `u${i}`, filterArn, numResults: 10 });
    const plain = (performance.now() - t0) / N;
    t0 = performance.now();
    for (let i = 0; i < N; i++) {
      await p.putEvents({ trackingId, userId: `u${i}`, sessionId: `s${i}`, eventList: [{ ...event(i, 'purchase'), itemId: `i${i}` }] });
      const r = await p.getRecommendations({ campaignArn, userId: `u${i}`, filterArn, numResults: 10 });
      if ((r.itemList as { itemId: string }[]).some((x) => x.itemId === `i${i}`)) throw new Error('the filter missed a purchase streamed a moment ago');
    }
    return { step: (performance.now() - t0) / N, plain };
  } finally {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runEventsBench(): Promise<BenchResult[]> {
  const disk = await streamOnDisk();
  const r = await replay();
  return [
    { name: 'events: PutEvents on disk, calls 0-500 (fsync each)', value: disk.first, unit: 'ms/call' },
    { name: 'events: PutEvents on disk, calls 9,500-10,000 / calls 0-500', value: disk.later, unit: 'ms/call', baseline: disk.first, ratio: disk.later / disk.first },
    { name: 'events: replay step (PutEvents + filtered GetRecommendations), 100k imported', value: r.step, unit: 'ms', baseline: r.plain, ratio: r.step / r.plain },
    { name: 'events: filtered GetRecommendations alone, 100k imported', value: r.plain, unit: 'ms' },
  ];
}
