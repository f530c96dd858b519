// The harness of the micro-benchmarks (one call of a hot path: scoring, softmax, filter masks, one
// request): tinybench warms each task up, then samples it for a time budget; a figure is the mean
// latency with tinybench's relative margin of error (95%, in %). Whole-path suites time their own runs.
// The host is shared, so the budget is split into passes over all tasks in rotated order, and each task
// keeps its best pass: a burst of load falls on one pass, not on one task (and not on one side of a ratio).
import { Bench } from 'tinybench';
import type { BenchResult } from './types.js';

export interface Figure {
  /** Mean milliseconds per call. */
  ms: number;
  /** Relative margin of error of the mean, in % (95% confidence). */
  margin: number;
}

export interface MicroOptions {
  /** Sampling budget per task, ms, over all passes (tinybench goes on until both this and `iterations` are met). */
  time: number;
  /** Fewest samples per task and pass. */
  iterations?: number;
  /** Passes over the tasks (default 3). */
  passes?: number;
  /** Warm-up budget per task, ms. */
  warmupTime?: number;
  /** The tasks return promises (awaited inside the timing); otherwise they run with runSync. */
  async?: boolean;
}

/**
 * Each task's figure: its best of `passes` tinybench passes (lowest mean), with that pass's margin.
 * Put a figure next to its baseline in `tasks`: they then run close together in every pass.
 */
export async function micro(tasks: Record<string, () => unknown>, opts: MicroOptions): Promise<Record<string, Figure>> {
  const passes = Math.max(1, opts.passes ?? 3);
  const names = Object.keys(tasks);
  const best: Record<string, Figure> = {};
  for (let pass = 0; pass < passes; pass++) {
    const bench = new Bench({
      time: opts.time / passes, iterations: opts.iterations ?? 32, throws: true,
      // Compilation happens in the first pass; later passes warm caches and the branch predictor only.
      warmupTime: pass === 0 ? opts.warmupTime ?? 250 : 50, warmupIterations: pass === 0 ? 8 : 2,
    });
    for (let k = 0; k < names.length; k++) {
      const name = names[(pass + k) % names.length]!;
      bench.add(name, tasks[name]!);
    }
    if (opts.async) await bench.run();
    else bench.runSync();
    for (const t of bench.tasks) {
      const r = t.result;
      if (r.state !== 'completed') throw new Error(`benchmark task ${t.name} ended ${r.state}${'error' in r ? `: ${r.error}` : ''}`);
      const f = { ms: r.latency.mean, margin: r.latency.rme };
      if (!best[t.name] || f.ms < best[t.name]!.ms) best[t.name] = f;
    }
  }
  return best;
}

/** A result row from a figure, optionally against a baseline figure of the same run. */
export function row(name: string, f: Figure, base?: Figure | number): BenchResult {
  const b = typeof base === 'number' ? base : base?.ms;
  return { name, value: f.ms, unit: 'ms', margin: round(f.margin), ...(b !== undefined ? { baseline: b, ratio: f.ms / b } : {}) };
}

const round = (x: number) => Math.round(x * 100) / 100;
