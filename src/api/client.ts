// The in-process client: one camelCase method per operation of the three SDK clients, plus `send(command)`
// for the official SDK's Command objects, so SDK code swaps only the client object. No HTTP involved.
import { randomUUID } from 'node:crypto';
import type { EngineOptions } from '../engine/config.js';
import { Engine } from '../engine/core/engine.js';
import { InvalidInputException } from '../engine/errors.js';
import { operationShape } from './api.js';
import { wrapEngine, type LocalApi } from './local.js';
import { OPERATION_SHAPES, type OperationName } from './shapes.generated.js';
import { fromWire, toWire } from './wire.js';

type Output = Record<string, any> & { $metadata: { httpStatusCode: number; requestId: string; attempts: number; totalRetryDelay: number } };
type Methods = { [K in OperationName as Uncapitalize<K>]: (input?: Record<string, any>) => Promise<Output> };

export interface LocalPersonalize extends Methods {}

export class LocalPersonalize {
  readonly engine: Engine;
  private readonly local: LocalApi;

  constructor(options: EngineOptions = {}) {
    this.engine = new Engine(options);
    this.local = wrapEngine(this.engine);
  }

  /** Run any operation by its API name with SDK-style input (Dates allowed); returns SDK-style output. */
  async call(operation: string, input: Record<string, unknown> = {}): Promise<Output> {
    const shape = operationShape(operation);
    if (!shape) throw new InvalidInputException(`Unknown operation ${operation}.`);
    const out = await this.local.api.call(operation, toWire(shape.input, input));
    const converted = (fromWire(shape.output ?? undefined, out ?? {}) ?? {}) as Record<string, unknown>;
    return { ...converted, $metadata: { httpStatusCode: 200, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 } };
  }

  /** Accepts Command objects of @aws-sdk/client-personalize, -runtime and -events (e.g. `new CreateSchemaCommand({...})`). */
  send(command: { input?: unknown; constructor: { name: string } }): Promise<Output> {
    const name = command?.constructor?.name ?? '';
    const op = name.endsWith('Command') ? name.slice(0, -'Command'.length) : '';
    if (!operationShape(op)) {
      return Promise.reject(new InvalidInputException(`send() takes a Command of the AWS SDK Personalize clients (got ${name || typeof command}).`));
    }
    return this.call(op, (command.input ?? {}) as Record<string, unknown>);
  }

  /** GetRecommendations plus, per returned item, what each pipeline stage contributed (beyond Personalize). */
  explainRecommendations(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.local.explain(toWire(operationShape('GetRecommendations')!.input, input));
  }

  /** Wait for background work (realistic transitions) to settle. */
  idle(): Promise<void> {
    return this.engine.idle();
  }

  /** Drop every resource and all data. */
  reset(): Promise<void> {
    return this.engine.reset();
  }

  /** Release worker threads and flush state. */
  close(): Promise<void> {
    return this.local.close();
  }
}

for (const { name } of OPERATION_SHAPES) {
  const method = name[0]!.toLowerCase() + name.slice(1);
  Object.defineProperty(LocalPersonalize.prototype, method, {
    value: function (this: LocalPersonalize, input?: Record<string, unknown>) { return this.call(name, input ?? {}); },
    writable: true,
    configurable: true,
  });
}
