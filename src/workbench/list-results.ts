// What ranking a job's test users yields (the model's lists or the served ones), and how a job reports progress:
// shared by job.ts and served.ts.

export interface ListResults {
  /** Personalize's metric keys over all test users (GetSolutionMetrics' values for this split). */
  metrics: Record<string, number>;
  perUser: Record<string, Float64Array>;
  ndcgCurve: Float64Array;
  popularityHistogram: Float64Array;
}

export type Progress = (stage: 'train' | 'evaluate' | 'serve', fraction: number) => void;
