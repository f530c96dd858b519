// Options of one local Personalize instance, with their defaults.
import type { Clock } from './clock.js';
import { AdvanceableSystemClock } from './clock.js';
import { availableParallelism } from 'node:os';
import { InvalidInputException } from './errors.js';
import { REGION_PATTERN } from './region.js';

export type TransitionsMode = 'immediate' | 'background' | 'realistic';

export interface EngineOptions {
  /** State directory (resources, imported data, models). Default `./.personalize-local`. */
  dataDir?: string;
  /** Keep everything in memory; nothing is written to disk. */
  inMemory?: boolean;
  /**
   * `immediate` (the default in process): work-doing Create calls (imports, training, batch jobs) finish
   * before they return, so the next Describe shows ACTIVE. `background` (the default of `start`): they
   * return at once, as on AWS, and the resource shows CREATE IN_PROGRESS until the work is done; clients
   * poll Describe (an HTTP client that waited for a long training would time out and retry the Create:
   * boto3 gives up after 60 s and retries up to 4 times, each retry a new solution version).
   * `realistic`: like background, and the resource also shows CREATE PENDING, then CREATE IN_PROGRESS,
   * for the configured times on the clock, however fast the work is.
   */
  transitions?: TransitionsMode | { mode: TransitionsMode; pendingSeconds?: number; inProgressSeconds?: number };
  clock?: Clock;
  /** Seed for everything random (ids, sampling, model initialisation). Default 0. */
  seed?: number;
  /**
   * The region of calls that name none (default us-east-1): all in-process calls, and HTTP requests that
   * are not SigV4-signed. Signed requests are served in the region of their credential scope.
   */
  region?: string;
  accountId?: string;
  /** Where `s3://bucket/key` resolves: `<bucketsDir>/bucket/key`. Default `<dataDir>/buckets` (in memory: `./buckets`). */
  bucketsDir?: string;
  /** Personalize's minimum-data checks for training; lower them for small unit-test data. */
  minimums?: { interactions?: number; usersWithTwoInteractions?: number };
  /** Worker threads for training (default: cores - 1, at least 1). 0 trains on the calling thread. */
  trainingWorkers?: number;
  /**
   * Threads ONE training may use (default: every core): ALS's half-steps, co-occurrence counting and the offline
   * metrics' held-out users are split over them (lib/threads/team.ts). trainingWorkers says how many trainings run
   * at once; this, how many threads each of them gets. Models are the same bytes whatever the count.
   */
  trainingThreads?: number;
  /**
   * Worker threads for batch inference and batch segment jobs (default: cores, at most 4; started on first
   * use). The calling thread only reads and writes lines meanwhile (about 5% busy), so all cores can answer;
   * each worker holds its own copy of the job's data and model, hence the cap. 0 answers every job inline.
   */
  batchWorkers?: number;
  /**
   * Input lines (over all of a job's files) from which a batch job runs on the workers; smaller jobs run
   * inline, where starting workers (about 0.7 s cold, 0.15 s warm) would cost more than it saves. Default 5000.
   */
  batchParallelMinLines?: number;
  /**
   * Rank user-personalization GetRecommendations on a worker thread that views the model's arrays in shared
   * memory, while the calling thread parses and answers other requests (same answers as inline). Pays off when
   * requests arrive concurrently (the HTTP server: `start` turns it on); a lone in-process call is faster inline
   * (default false). The thread starts on first use and ends with close().
   */
  servingWorker?: boolean;
}

export interface ResolvedOptions {
  dataDir: string | null;
  transitions: { mode: TransitionsMode; pendingSeconds: number; inProgressSeconds: number };
  clock: Clock;
  seed: number;
  region: string;
  accountId: string;
  bucketsDir: string;
  minimums: { interactions: number; usersWithTwoInteractions: number };
  trainingWorkers: number | undefined;
  trainingThreads: number;
  batchWorkers: number;
  batchParallelMinLines: number;
  servingWorker: boolean;
}

export const DEFAULT_DATA_DIR = '.personalize-local';

export function resolveOptions(o: EngineOptions = {}): ResolvedOptions {
  if (o.region !== undefined && !REGION_PATTERN.test(o.region)) {
    throw new InvalidInputException(`region ${JSON.stringify(o.region)} is not a region name; use one such as us-east-1 or eu-west-1.`);
  }
  const t = typeof o.transitions === 'string' || o.transitions === undefined ? { mode: o.transitions ?? 'immediate' } : o.transitions;
  const dataDir = o.inMemory ? null : (o.dataDir ?? DEFAULT_DATA_DIR);
  return {
    dataDir,
    transitions: {
      mode: t.mode,
      pendingSeconds: 'pendingSeconds' in t && t.pendingSeconds !== undefined ? t.pendingSeconds : 2,
      inProgressSeconds: 'inProgressSeconds' in t && t.inProgressSeconds !== undefined ? t.inProgressSeconds : 5,
    },
    // The system clock, which a running server can move forward (POST /_personalize/clock {"advanceSeconds"}).
    clock: o.clock ?? new AdvanceableSystemClock(),
    seed: o.seed ?? 0,
    region: o.region ?? 'us-east-1',
    accountId: o.accountId ?? '000000000000',
    bucketsDir: o.bucketsDir ?? (dataDir ? `${dataDir}/buckets` : 'buckets'),
    minimums: {
      interactions: o.minimums?.interactions ?? 1000,
      usersWithTwoInteractions: o.minimums?.usersWithTwoInteractions ?? 25,
    },
    trainingWorkers: o.trainingWorkers,
    trainingThreads: Math.max(1, Math.floor(o.trainingThreads ?? availableParallelism())),
    batchWorkers: o.batchWorkers ?? Math.min(4, availableParallelism()),
    batchParallelMinLines: o.batchParallelMinLines ?? 5000,
    servingWorker: o.servingWorker ?? false,
  };
}
