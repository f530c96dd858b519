// The evaluation workbench end to end on MovieLens-small: 6 configurations x 5 seeds (parse once, train and
// score every job, aggregate, write results and report), on the worker pool against the same jobs run one
// after another on the main thread. Goal: >= 1.7x faster on 2 cores, the whole run <= 30 s.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluate } from '../src/workbench/evaluate.js';
import type { BenchResult } from './types.js';

const SIMS = 'arn:aws:personalize:::recipe/aws-sims';
const CONFIG = [
  { recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization' },
  { recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization-v2' },
  { recipeArn: SIMS },
  { name: 'aws-sims-all-items', recipeArn: SIMS, solutionConfig: { featureTransformationParameters: { max_item_interaction_count_percentile: '1' } } },
  { recipeArn: 'arn:aws:personalize:::recipe/aws-similar-items' },
  { recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' },
];

export async function runEvaluateBench(): Promise<BenchResult[]> {
  const data = resolve(process.cwd(), '../shared/data/ml-latest-small');
  if (!existsSync(join(data, 'interactions.csv'))) {
    console.log('evaluate: skipped: ../shared not found');
    return [];
  }
  const cores = availableParallelism();
  const best = (xs: number[]) => Math.min(...xs);
  const once = async (workers: number) => {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const r = await evaluate({ data, config: CONFIG, seeds: 5, workers, out: join(tmpdir(), `bench-evaluate-${workers}`) });
    const cpu = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, r };
  };
  // Alternate the two ways twice and keep each one's best: other work on the machine only ever slows a run.
  const inline: number[] = [], pooled: number[] = [], cpu: string[] = [];
  let last, fastestInline: Awaited<ReturnType<typeof once>> | undefined;
  for (let round = 0; round < 2; round++) {
    const one = await once(0);
    if (!fastestInline || one.seconds < fastestInline.seconds) fastestInline = one;
    inline.push(one.seconds);
    last = await once(cores);
    pooled.push(last.seconds);
    cpu.push(`${one.cpu.toFixed(1)} / ${last.cpu.toFixed(1)}`);
  }
  // What 2 free cores would give, from the one-thread run's own job times: the jobs in the pool's order
  // (longest first) on two lanes, plus the rest of that run. An estimate, printed apart from the figures.
  const jobs = fastestInline!.r.timing.jobs.map((j) => j.trainSeconds + j.evaluateSeconds).sort((a, b) => b - a);
  const lanes = Array.from({ length: cores }, () => 0);
  for (const j of jobs) lanes[lanes.indexOf(Math.min(...lanes))]! += j;
  const rest = fastestInline!.seconds - jobs.reduce((a, b) => a + b, 0);
  console.log(`  CPU seconds one thread / ${cores} workers: ${cpu.join(', ')}; with ${cores} free cores the ${cores}-worker run would take about ${(rest + Math.max(...lanes)).toFixed(1)} s (${(best(inline) / (rest + Math.max(...lanes))).toFixed(2)}x), from the one-thread run's job times`);
  console.log(`evaluate: ${CONFIG.length} configurations x 5 seeds on ml-latest-small; ${cores} cores; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`  one thread: ${inline.map((x) => x.toFixed(1)).join(', ')} s; ${cores} workers: ${pooled.map((x) => x.toFixed(1)).join(', ')} s`);
  for (const c of last!.r.configurations) console.log(`  ${c.name.padEnd(32)} NDCG@10 ${c.model.metrics.normalized_discounted_cumulative_gain_at_10!.mean.toFixed(4)}  train ${last!.r.timing.trainSeconds[c.name]!.mean.toFixed(2)} s`);
  return [
    { name: `evaluate/6 configs x 5 seeds, ${cores} workers`, value: best(pooled), unit: 's' },
    { name: 'evaluate/the same on one thread', value: best(inline), unit: 's' },
    { name: `evaluate/speed-up of ${cores} workers`, value: best(inline) / best(pooled), unit: 'x', baseline: best(inline), ratio: best(inline) / best(pooled) },
  ];
}
