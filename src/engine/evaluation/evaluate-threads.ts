// The offline metrics' held-out users scored over a training's thread team: each thread loads the model from the
// artifact (arrays copied once into shared memory) and scores fixed blocks of EVAL_BLOCK users into its own slots
// of block sums, added in block order afterwards, so the metrics are the same bytes for any thread count.
import { programUrl, type ProgramHandler, type TrainingRun } from '../../lib/threads/team.js';
import { RECIPES } from '../../recipes/index.js';
import type { Model, ModelArtifact, TypedArray } from '../../recipes/types.js';
import { EVAL_BLOCK, evaluateModel, evaluator, metricsOf, SUM_SLOTS, type EvaluateOptions } from './evaluate.js';
import type { TestUser } from './split.js';

/** Fewer held-out users than this are scored on the calling thread (loading the model per thread would cost more). */
export const EVAL_THREADS_MIN_USERS = 1000;

type Shareable = Pick<EvaluateOptions, 'excludeHistory' | 'queryItem' | 'objective' | 'eventWeights'>;

interface MetricsData {
  recipeArn: string; meta: Record<string, unknown>; arrays: Record<string, TypedArray>; numItems: number; fallback: Float32Array;
  hPtr: Int32Array; hIdx: Int32Array; rPtr: Int32Array; rIdx: Int32Array; rW: Float32Array | null;
  opts: Shareable; sums: Float64Array; recommended: Uint8Array;
}

function shared<T extends TypedArray>(a: T): T {
  const C = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new C(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: T): void }).set(a);
  return out;
}

function csr(rows: readonly Int32Array[]): { ptr: Int32Array; idx: Int32Array } {
  const ptr = new Int32Array(new SharedArrayBuffer((rows.length + 1) * 4));
  for (let u = 0; u < rows.length; u++) ptr[u + 1] = ptr[u]! + rows[u]!.length;
  const idx = new Int32Array(new SharedArrayBuffer(Math.max(4, ptr[rows.length]! * 4)));
  rows.forEach((r, u) => idx.set(r, ptr[u]!));
  return { ptr, idx };
}

function testUsers(d: MetricsData): TestUser[] {
  const out: TestUser[] = [];
  for (let u = 0; u + 1 < d.hPtr.length; u++) {
    const rs = d.rPtr[u]!, re = d.rPtr[u + 1]!;
    out.push({
      user: '', history: d.hIdx.subarray(d.hPtr[u]!, d.hPtr[u + 1]!), relevant: d.rIdx.subarray(rs, re),
      ...(d.rW ? { relevantWeights: d.rW.subarray(rs, re) } : {}),
    });
  }
  return out;
}

function handlerFor(model: Model, d: MetricsData): ProgramHandler {
  const range = evaluator(model, d.numItems, d.fallback, d.opts), test = testUsers(d);
  return (_task, block) => {
    const sums = d.sums.subarray(block * SUM_SLOTS, (block + 1) * SUM_SLOTS);
    range(test, block * EVAL_BLOCK, Math.min(test.length, (block + 1) * EVAL_BLOCK), sums, d.recommended);
  };
}

/** Team entry (lib/threads/team.ts): the model loaded from the shared artifact on this thread. */
export function program(d: MetricsData): ProgramHandler {
  const recipe = RECIPES.get(d.recipeArn);
  if (!recipe) throw new Error(`recipe ${d.recipeArn} is not available`);
  return handlerFor(recipe.load({ recipe: recipe.name, meta: d.meta, arrays: d.arrays }, d.numItems), d);
}

/**
 * evaluateModel's metrics (same keys; onList and served are not supported here), with the users' blocks spread
 * over `run`'s team when it has one and there are enough users. `model` is `artifact` loaded on this thread.
 */
export function evaluateOnThreads(
  run: TrainingRun, recipeArn: string, artifact: ModelArtifact, model: Model, test: readonly TestUser[], numItems: number,
  fallback: Float32Array, opts: Shareable, minUsers = EVAL_THREADS_MIN_USERS,
): Record<string, number> {
  if (!run.team || run.threads < 2 || test.length < minUsers || test.length === 0) return evaluateModel(model, test, numItems, fallback, opts);
  const h = csr(test.map((t) => t.history)), r = csr(test.map((t) => t.relevant));
  const weighted = opts.eventWeights && test.some((t) => t.relevantWeights);
  const rW = weighted ? new Float32Array(new SharedArrayBuffer(Math.max(4, r.idx.length * 4))) : null;
  if (rW) test.forEach((t, u) => rW.set(t.relevantWeights ?? new Float32Array(t.relevant.length).fill(1), r.ptr[u]!));
  const blocks = Math.ceil(test.length / EVAL_BLOCK);
  const arrays: Record<string, TypedArray> = {};
  for (const [name, a] of Object.entries(artifact.arrays)) arrays[name] = shared(a);
  const data: MetricsData = {
    recipeArn, meta: artifact.meta, arrays, numItems, fallback: shared(fallback),
    hPtr: h.ptr, hIdx: h.idx, rPtr: r.ptr, rIdx: r.idx, rW,
    opts: { ...opts, ...(opts.objective ? { objective: { values: shared(opts.objective.values), lambda: opts.objective.lambda } } : {}) },
    sums: new Float64Array(new SharedArrayBuffer(blocks * SUM_SLOTS * 8)), recommended: new Uint8Array(new SharedArrayBuffer(numItems)),
  };
  const team = run.team();
  // This thread scores with the model it already has; the workers load theirs from the shared arrays.
  team.install('metrics', programUrl(import.meta.url, './evaluate-threads.js'), data, { program: (d) => handlerFor(model, d as MetricsData) });
  try {
    team.run('metrics', 0, blocks);
  } finally {
    team.uninstall('metrics');
  }
  return metricsOf(data.sums, test.length, data.recommended, opts);
}
