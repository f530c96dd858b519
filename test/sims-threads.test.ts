// aws-sims and aws-similar-items count co-occurrences on fixed blocks of items over a training's threads: 1, 2 or 3
// threads give the same neighbour lists, the same model bytes and the same recommendations.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { decodeBundle } from '../src/engine/training/bundle.js';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { trainingRun } from '../src/lib/threads/team.js';
import { Rng } from '../src/lib/random.js';
import { buildCoMatrix, itemNeighbours, SIMS_THREADS_MIN_PAIRS } from '../src/recipes/item-knn.js';
import { similarItems } from '../src/recipes/similar-items.js';
import { sims } from '../src/recipes/sims.js';
import type { ModelArtifact, TrainingData } from '../src/recipes/types.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

/** Users drawing most items from one of 8 taste clusters of a 1200-item catalogue, popular items more often. */
function clustered(users: number, perUser: number, seed: number): { user: string; item: string; timestamp: number }[] {
  const rng = new Rng(seed), rows = [];
  for (let u = 0; u < users; u++) {
    const cluster = u % 8;
    for (let k = 0; k < perUser; k++) {
      const pick = Math.floor(rng.next() * (0.5 + rng.next()) * 100);
      const item = rng.next() < 0.8 ? cluster * 150 + pick : Math.floor(rng.next() * 1200);
      rows.push({ user: `user-${u}`, item: `item-${item}`, timestamp: 1_700_000_000 + u * 1000 + k });
    }
  }
  return rows;
}

/** The artifact's arrays as one digest per array (deep equality on big buffers is slow). */
const bytes = (a: ModelArtifact): string[] => Object.keys(a.arrays).sort().map((k) =>
  `${k} ${createHash('sha256').update(Buffer.from(a.arrays[k]!.buffer, a.arrays[k]!.byteOffset, a.arrays[k]!.byteLength)).digest('hex')}`);

describe('co-occurrence counting on threads', () => {
  const data: TrainingData = trainingDataFromRows(clustered(2500, 80, 4));

  it('splits the counting over the team when the work is large enough, to the same neighbour lists', () => {
    const m = buildCoMatrix(data, [0, 1], [0, 1]);
    const opts = { discount: 0.5, minCointeractions: 2, neighbours: 30 };
    const solo = itemNeighbours(m, opts);
    expect(solo.threads).toBe(1);
    expect(solo.idx.length).toBeGreaterThan(1000 * 20);
    for (const threads of [2, 3]) {
      const run = trainingRun(threads);
      try {
        const nb = itemNeighbours(m, opts, run);
        expect(nb.threads).toBe(threads); // the threaded path ran: the comparison below is not 1 vs 1
        expect(Buffer.from(nb.ptr.buffer).equals(Buffer.from(solo.ptr.buffer))).toBe(true);
        expect(Buffer.from(nb.idx.buffer).equals(Buffer.from(solo.idx.buffer))).toBe(true);
        expect(Buffer.from(nb.sim.buffer).equals(Buffer.from(solo.sim.buffer))).toBe(true);
      } finally {
        run.close();
      }
    }
  });

  it('walks the pairs in WebAssembly to the bytes of the JS loop, also over a run memory an earlier training left dirty', () => {
    const m = buildCoMatrix(data, [0, 1], [0, 1]);
    const opts = { discount: 0.5, minCointeractions: 2, neighbours: 30 };
    const same = (a: { ptr: Int32Array; idx: Int32Array; sim: Float32Array }, b: typeof a): void => {
      expect(Buffer.from(a.ptr.buffer).equals(Buffer.from(b.ptr.buffer))).toBe(true);
      expect(Buffer.from(a.idx.buffer).equals(Buffer.from(b.idx.buffer))).toBe(true);
      expect(Buffer.from(a.sim.buffer).equals(Buffer.from(b.sim.buffer))).toBe(true);
    };
    const js = itemNeighbours(m, { ...opts, count: 'js' });
    expect(js.wasm).toBe(false);
    const wasm = itemNeighbours(m, opts);
    expect(wasm.wasm).toBe(true);
    same(wasm, js);
    const run = trainingRun(1);
    try {
      const kept = run.memory!(256)!; // 16 MB: more than this training asks for, so it is reused as it is
      new Uint8Array(kept.memory.buffer).fill(0x5a);
      const dirty = itemNeighbours(m, opts, run);
      expect(dirty.wasm).toBe(true);
      expect(kept.memory.buffer.byteLength).toBe(256 * 65536); // the same memory, not a fresh one
      same(dirty, js);
    } finally {
      run.close();
    }
  });

  it('keeps the same lists whatever the size of the row buffers, on 1 and 2 threads', () => {
    const m = buildCoMatrix(data, [0, 1], [0, 1]);
    const opts = { discount: 0.5, minCointeractions: 2, neighbours: 30 };
    const js = itemNeighbours(m, { ...opts, count: 'js' });
    // 31: a full row keeps its 30 best at every offer past them; 37: every 7 offers; 400: rows that rarely fill.
    for (const rowSlots of [31, 37, 400]) {
      for (const threads of [1, 2]) {
        const run = trainingRun(threads);
        try {
          const nb = itemNeighbours(m, { ...opts, rowSlots }, run);
          expect([nb.wasm, nb.threads]).toEqual([true, threads]);
          expect(Buffer.from(nb.idx.buffer).equals(Buffer.from(js.idx.buffer))).toBe(true);
          expect(Buffer.from(nb.sim.buffer).equals(Buffer.from(js.sim.buffer))).toBe(true);
        } finally {
          run.close();
        }
      }
    }
  });

  it('keeps small trainings on the calling thread (a team costs more than the count)', () => {
    const small = trainingDataFromRows(clustered(50, 20, 5));
    const run = trainingRun(2);
    try {
      const nb = itemNeighbours(buildCoMatrix(small, [0, 1], [0, 1]), { discount: 0.5, minCointeractions: 1, neighbours: 10 }, run);
      expect(nb.threads).toBe(1);
      expect(SIMS_THREADS_MIN_PAIRS).toBeGreaterThan(50 * 190);
    } finally {
      run.close();
    }
  });

  for (const recipe of [sims, similarItems]) {
    it(`${recipe.name}: the artifact is the same bytes on 1, 2 and 3 threads`, () => {
      const params = { max_item_interaction_count_percentile: '1', min_cointeraction_count: '2' };
      const solo = recipe.train(data, params, 1);
      for (const threads of [2, 3]) {
        const run = trainingRun(threads);
        try {
          const a = recipe.train(data, params, 1, run);
          expect(a.meta).toEqual(solo.meta);
          expect(bytes(a)).toEqual(bytes(solo));
        } finally {
          run.close();
        }
      }
    });
  }
});

describe('aws-sims through the engine on 1, 2 and 3 training threads', () => {
  const csv = writeCsv(tempDir(), 'i.csv', 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n' +
    clustered(2500, 80, 6).map((r) => `${r.user},${r.item},${r.timestamp},click`).join('\n') + '\n');
  const clients: LocalPersonalize[] = [];
  afterAll(() => Promise.all(clients.map((c) => c.close())));

  async function train(trainingThreads: number) {
    const p = new LocalPersonalize({ inMemory: true, seed: 3, trainingWorkers: 0, trainingThreads });
    clients.push(p);
    const { schemaArn } = await p.createSchema({ name: 's', schema: INTERACTIONS_SCHEMA });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
    const { datasetArn } = await p.createDataset({ name: 'd', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv } });
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-sims' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const bundle = decodeBundle(p.engine.models.bytesOf(solutionVersionArn));
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn });
    const recs = [];
    for (const itemId of ['item-3', 'item-80', 'item-599', 'item-1100']) recs.push((await p.getRecommendations({ campaignArn, itemId, numResults: 20 })).itemList);
    const { metrics } = await p.getSolutionMetrics({ solutionVersionArn });
    return { bundle, recs, metrics };
  }

  it('trains the same model bytes, metrics and recommendations', async () => {
    const one = await train(1);
    expect(one.recs[0]!.length).toBe(20);
    for (const threads of [2, 3]) {
      const t = await train(threads);
      expect(bytes(t.bundle.artifact)).toEqual(bytes(one.bundle.artifact));
      expect(t.recs).toEqual(one.recs);
      expect(t.metrics).toEqual(one.metrics);
    }
  }, 120_000);
});
