// Suites sims5m / sims25m (only when named: the 160 MB / 850 MB files of bench/ml25m-data.ts): aws-sims' own
// training (Recipe.train on TrainingData read from the file, untimed) on 1 and on 2 threads in the same run, with
// the recipe's defaults and with every item kept (the percentile filters off: the work implicit does), next to the
// `implicit` library's CosineRecommender(K=100) fit on the same rows (bench/implicit_cosine.py) when Python can
// import it (PERSONALIZE_LOCAL_IMPLICIT_PYTHONPATH, PERSONALIZE_LOCAL_PYTHON), else the suite says it is absent.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { trainingRun } from '../src/lib/threads/team.js';
import { sims } from '../src/recipes/sims.js';
import type { ModelArtifact, TrainingData } from '../src/recipes/types.js';
import { ensureMl25mFile, ML25M, scaled, type Ml25mShape } from './ml25m-data.js';
import { ml25mTrainingData } from './ml25m-training.js';
import { implicitPython } from './scale25m.js';
import type { BenchResult } from './types.js';

const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

function digest(a: ModelArtifact): string {
  const h = createHash('sha256');
  for (const k of Object.keys(a.arrays).sort()) { const x = a.arrays[k]!; h.update(Buffer.from(x.buffer, x.byteOffset, x.byteLength)); }
  return h.update(JSON.stringify(a.meta)).digest('hex');
}

/** Wall time of one training on `threads` threads (its team opened inside the timing, as a job opens it), and the model digest. */
function timeTraining(data: TrainingData, params: Record<string, string>, threads: number): { s: number; digest: string } {
  const run = trainingRun(threads);
  try {
    const t0 = performance.now();
    const a = sims.train(data, params, 1, run);
    return { s: (performance.now() - t0) / 1000, digest: digest(a) };
  } finally {
    run.close();
  }
}

async function runSims(shape: Ml25mShape, label: string, repeats: number): Promise<BenchResult[]> {
  const csv = await ensureMl25mFile(shape);
  console.log(`${label}: ${shape.rows} rows; ${availableParallelism()} cores; load average ${load()}`);
  const data = ml25mTrainingData(csv);
  const out: BenchResult[] = [];
  const r = (name: string, value: number, unit: string, baseline?: number): BenchResult => ({
    name: `${label}: ${name}`, value: Math.round(value * 1000) / 1000, unit,
    ...(baseline !== undefined ? { baseline: Math.round(baseline * 1000) / 1000, ratio: Math.round((value / baseline) * 1000) / 1000 } : {}),
  });
  const ours: Record<string, { one: number; two: number }> = {};
  for (const [name, params] of [['defaults', {}], ['all items', { max_item_interaction_count_percentile: '1' }]] as const) {
    // Alternate 1 and 2 threads and keep each one's best: a noisy neighbour then hurts both alike.
    let one = Infinity, two = Infinity;
    const digests = new Set<string>();
    for (let k = 0; k < repeats; k++) {
      const a = timeTraining(data, params, 1), b = timeTraining(data, params, 2);
      one = Math.min(one, a.s); two = Math.min(two, b.s);
      digests.add(a.digest).add(b.digest);
    }
    ours[name] = { one, two };
    console.log(`${label}: aws-sims ${name}: 1 thread ${one.toFixed(2)} s, 2 threads ${two.toFixed(2)} s, ${digests.size === 1 ? 'same' : 'DIFFERENT'} model bytes; load average ${load()}`);
    out.push(r(`aws-sims train (${name}), 2 threads vs 1 thread`, two, 's', one));
    out.push(r(`aws-sims train (${name}): models of 1 and 2 threads identical`, digests.size === 1 ? 1 : 0, 'bool'));
  }
  const ref = implicitPython();
  let cosine: number | null = null;
  if (ref) {
    const script = fileURLToPath(new URL('../../bench/implicit_cosine.py', import.meta.url));
    const run = spawnSync(ref.python, [script, csv, String(repeats)], { env: ref.env, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status === 0) cosine = Math.min(...(JSON.parse(run.stdout.trim().split('\n').pop()!) as { cosine_s: number[] }).cosine_s);
    else console.log(`${label}: the implicit reference failed: ${run.stderr.slice(-500)}`);
  } else {
    console.log(`${label}: reference absent (no Python with the implicit library; set PERSONALIZE_LOCAL_IMPLICIT_PYTHONPATH / PERSONALIZE_LOCAL_PYTHON)`);
  }
  console.log(`${label}: implicit CosineRecommender K=100 ${cosine?.toFixed(2) ?? 'absent'} s; load average after ${load()}`);
  for (const [name, t] of Object.entries(ours)) {
    out.push(r(`aws-sims train (${name}), 1 thread vs implicit CosineRecommender K=100`, t.one, 's', cosine ?? undefined));
    out.push(r(`aws-sims train (${name}), 2 threads vs implicit CosineRecommender K=100`, t.two, 's', cosine ?? undefined));
  }
  return out;
}

export const runSims5mBench = (): Promise<BenchResult[]> => runSims(scaled(0.2), 'sims5m', 3);
export const runSims25mBench = (): Promise<BenchResult[]> => runSims(ML25M, 'sims25m', 1);
