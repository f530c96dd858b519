// Builds one local Personalize: an Engine with every implemented operation registered on a PersonalizeApi.
import { operationShape, PersonalizeApi } from './api.js';
import { validateShape } from './validate.js';
import { explainRecommendations } from '../engine/serving/explain.js';
import type { RecommendInput } from '../engine/serving/recommend.js';
import { Engine } from '../engine/core/engine.js';
import type { EngineOptions } from '../engine/config.js';
import { AdvanceableSystemClock, ManualClock, MAX_CLOCK_MS } from '../engine/clock.js';
import { InvalidInputException } from '../engine/errors.js';
import { registerAll } from './operations/index.js';

export interface LocalApi {
  api: PersonalizeApi;
  engine: Engine;
  reset(): Promise<void>;
  health(): Record<string, unknown>;
  /**
   * POST /_personalize/clock: `{"advanceSeconds": N}` moves time forward (any clock we made);
   * `{"now": epochSeconds}` sets it (a manual clock only). Absent for a clock of the caller's.
   */
  clock?(body: unknown): Promise<Record<string, unknown>>;
  /** POST /_personalize/explain: a GetRecommendations body answered with a per-stage trace. */
  explain(body: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function wrapEngine(engine: Engine): LocalApi {
  const api = new PersonalizeApi();
  registerAll(api, engine);
  api.beforeCall = () => engine.tick();
  api.around = (ctx, run) => engine.inRegion(ctx.region, run);
  const clock = engine.opts.clock;
  return {
    api,
    engine,
    reset: () => engine.reset(),
    health: () => ({
      dataDir: engine.opts.dataDir ?? '(in memory)', transitions: engine.opts.transitions.mode, now: engine.now() / 1000,
      // The region unsigned requests are served in, and the regions that hold resources (the console picks one).
      region: engine.opts.region, regions: engine.store.regions(),
    }),
    clock: clock instanceof ManualClock || clock instanceof AdvanceableSystemClock ? (body: unknown) => moveClock(clock, body) : undefined,
    explain: async (body: unknown) => {
      const input = validateShape(operationShape('GetRecommendations')!.input, body, '', '') as RecommendInput;
      return explainRecommendations(engine, input) as unknown as Record<string, unknown>;
    },
    close: () => engine.close(),
  };
}

export async function createLocalApi(options: EngineOptions): Promise<LocalApi> {
  return wrapEngine(new Engine(options));
}

/** Longest single step: 100 years (years of automatic training are a loop of ticks, not one jump of 1e300 s). */
const MAX_ADVANCE_SECONDS = 100 * 365 * 86_400;

async function moveClock(clock: ManualClock | AdvanceableSystemClock, body: unknown): Promise<Record<string, unknown>> {
  const b = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as { advanceSeconds?: unknown; now?: unknown };
  const manual = clock instanceof ManualClock;
  const usage = manual ? 'Send {"advanceSeconds": N} (0 <= N) or {"now": epochSeconds}.' : 'Send {"advanceSeconds": N} (0 <= N); the server runs on the system clock, which moves forward only ({"now": ...} needs --clock manual).';
  if (b.advanceSeconds !== undefined) {
    const n = b.advanceSeconds;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > MAX_ADVANCE_SECONDS) {
      throw new InvalidInputException(`advanceSeconds must be a number from 0 to ${MAX_ADVANCE_SECONDS} (100 years), got ${JSON.stringify(n)?.slice(0, 40)}. ${usage}`);
    }
    if (clock.now() + n * 1000 > MAX_CLOCK_MS) throw new InvalidInputException('The clock cannot go past the year 9999.');
    clock.advance(n * 1000);
  } else if (b.now !== undefined) {
    if (!manual) throw new InvalidInputException(`{"now": ...} sets the time of a manual clock only; start the server with --clock manual, or move this one forward with {"advanceSeconds": N}.`);
    const t = b.now;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t * 1000 > MAX_CLOCK_MS) {
      throw new InvalidInputException(`now must be epoch seconds from 0 to the year 9999, got ${JSON.stringify(t)?.slice(0, 40)}.`);
    }
    clock.set(t * 1000);
  } else {
    throw new InvalidInputException(usage);
  }
  return { now: clock.now() / 1000, ...(manual ? {} : { advancedSeconds: (clock as AdvanceableSystemClock).offsetMs / 1000 }) };
}
