// The shape of results.json (format "personalize-local/evaluation", version 1). Everything outside `timing`
// is a function of the data, the options and the seeds: the same inputs give the same bytes, whatever the
// number of worker threads. Field meanings are documented in docs/evaluation-results.md.

export const RESULTS_FORMAT = 'personalize-local/evaluation';
export const RESULTS_VERSION = 1;

/** A mean with its 95% interval; `n` is how many values it is over (seeds, or users when there is one seed). */
export interface Estimate { mean: number; low: number; high: number; n: number }

/** A paired test of a configuration against the baseline (or served against model lists) over the same test users. */
export interface Comparison {
  against: string;
  /** Mean over users of the per-user difference (this minus `against`), each user's difference averaged over the seeds that held it out. */
  difference: number;
  low: number;
  high: number;
  /** Two-sided p-value of "no difference" (paired t-test over users). */
  pValue: number;
  users: number;
}

export interface SegmentResult {
  /** "1-4", "5-19", "20+" (interactions in the input history), or "0" for users new since a time split's cut. */
  segment: string;
  minHistory: number;
  maxHistory: number | null;
  /** Test users in the segment, per seed on average. */
  users: number;
  metrics: Record<string, Estimate>;
}

export interface ListsResult {
  /** Personalize's metric names plus recall, hit rate, popularity and novelty keys (see the metric table). */
  metrics: Record<string, Estimate>;
  /** The same metrics' value on each seed, in `protocol.seeds` order. */
  perSeed: Record<string, number[]>;
  /** NDCG@k for k = 1..25. */
  ndcgCurve: Estimate[];
  /** Users by input-history length. */
  segments: SegmentResult[];
  /** Share of recommended slots per popularity-rank bin of the item (`protocol.popularityRankBins`). */
  popularityHistogram: number[];
  /** Against the baseline's lists of the same kind, per per-user metric. */
  comparison: Record<string, Comparison>;
}

export interface ConfigurationResult {
  name: string;
  recipe: string;
  recipeType: string;
  /** The CreateSolution-shaped entry (with campaignConfig / filterExpression / filterValues when given). */
  solution: Record<string, unknown>;
  isBaseline: boolean;
  /** Not asked for: added because it is the baseline. */
  addedAsBaseline: boolean;
  /** Bytes of the model file a solution version would store. */
  modelBytes: Estimate;
  /** The model's lists with the input history left out: GetSolutionMetrics' protocol. */
  model: ListsResult;
  /** Served lists (campaignConfig / filter), and how they differ from the model's lists of the same users. */
  served?: ListsResult & { versusModel: Record<string, Comparison> };
  /** HPO / AutoML: what the inner split chose on each seed. */
  tuning?: { kind: string; objective: string; chosen: { seed: number; recipe: string; params: Record<string, string> }[] };
}

export interface SampleUser {
  user: string;
  /** The seed whose split the lists come from (the first). */
  seed: number;
  historyLength: number;
  /** The newest items of the input history (at most 15), oldest first. */
  history: string[];
  /** The held-out items. */
  relevant: string[];
  /** Top 10 per configuration (absent where the user was not a test user of that configuration). */
  lists: Record<string, { model: string[]; served?: string[] }>;
}

export interface DatasetInfo { file: string; rows: number; schema: unknown; schemaInferred: boolean }

export interface EvaluationResult {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  generator: string;
  input: {
    interactions: DatasetInfo;
    items?: DatasetInfo;
    users?: DatasetInfo;
    /** Distinct users and items with interactions (the whole data, before any event filter). */
    userCount: number;
    itemCount: number;
  };
  protocol: {
    split: { kind: 'personalize'; testUserShare: number; inputShare: number } | { kind: 'time'; cut: string; cutEpochSeconds: number; spec: string };
    seeds: number[];
    listLength: number;
    cutoffs: number[];
    baseline: string;
    headShare: number;
    /** Bins of popularityHistogram: ranks of items by training users, 1 = most popular. */
    popularityRankBins: string[];
    intervals: string;
    pairedTest: string;
  };
  configurations: ConfigurationResult[];
  samples: { users: SampleUser[]; itemMetadata: Record<string, Record<string, string>> };
  /** Wall-clock figures: they differ run to run, so they are kept apart from the rest. */
  timing: {
    workers: number;
    wallSeconds: number;
    parseSeconds: number;
    trainSeconds: Record<string, Estimate>;
    jobs: { configuration: string; seed: number; trainSeconds: number; evaluateSeconds: number }[];
  };
}
