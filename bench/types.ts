// One benchmark figure, as written to bench/results/latest.json.
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same-run baseline this figure is compared with, in the same unit. */
  baseline?: number;
  /** value / baseline (or the ratio the suite defines; its name says which way is better). */
  ratio?: number;
  /** Relative margin of error of `value`, in % (95% confidence), where tinybench measured it. */
  margin?: number;
}
