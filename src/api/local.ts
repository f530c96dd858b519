// Builds one local Personalize: an Engine with every implemented operation registered on a PersonalizeApi.
import { operationShape, PersonalizeApi } from './api.js';
import { validateShape } from './validate.js';
import { explainRecommendations } from '../engine/serving/explain.js';
import type { RecommendInput } from '../engine/serving/recommend.js';
import { Engine } from '../engine/engine.js';
import type { EngineOptions } from '../engine/config.js';
import { ManualClock } from '../engine/clock.js';
import { InvalidInputException } from '../engine/errors.js';
import { registerAll } from './operations/index.js';

export interface LocalApi {
  api: PersonalizeApi;
  engine: Engine;
  reset(): Promise<void>;
  health(): Record<string, unknown>;
  /** POST /_personalize/clock: `{"advanceSeconds": N}` or `{"now": epochSeconds}`, for a manual clock. */
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
    health: () => ({ dataDir: engine.opts.dataDir ?? '(in memory)', transitions: engine.opts.transitions.mode, now: engine.now() / 1000 }),
    clock: clock instanceof ManualClock
      ? async (body: unknown) => {
          const b = (body ?? {}) as { advanceSeconds?: unknown; now?: unknown };
          if (typeof b.advanceSeconds === 'number' && b.advanceSeconds >= 0) clock.advance(b.advanceSeconds * 1000);
          else if (typeof b.now === 'number') clock.set(b.now * 1000);
          else throw new InvalidInputException('Send {"advanceSeconds": N} (N >= 0) or {"now": epochSeconds}.');
          return { now: clock.now() / 1000 };
        }
      : undefined,
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
