// The wire-level facade: one `call(operation, input)` for all 79 operations of the three SDK clients.
// Input and output are plain JSON values as on the wire (timestamps in epoch seconds); both the HTTP
// server and the in-process client sit on top of it.
import { NotImplementedException, InvalidInputException, isPersonalizeError } from '../engine/errors.js';
import { OPERATION_SHAPES } from './shapes.generated.js';
import type { OperationShape } from './shape-types.js';
import { validateShape } from './validate.js';

export type WireOutput = Record<string, unknown> | undefined;
/** What a call carries besides its input: the region it was signed for (SigV4 credential scope). */
export interface CallContext { region?: string }
export type Handler = (input: Record<string, unknown>) => Promise<WireOutput> | WireOutput;

const SHAPES = new Map<string, OperationShape>(OPERATION_SHAPES.map((o) => [o.name, o]));

export function operationShape(name: string): OperationShape | undefined {
  return SHAPES.get(name);
}

export class PersonalizeApi {
  private readonly handlers = new Map<string, Handler>();
  /** Runs before every operation (the engine's clock-driven work: automatic training). */
  beforeCall: (() => Promise<void>) | null = null;
  /** Runs every operation inside the call's scope (the engine serves it in the call's region). */
  around: (<T>(ctx: CallContext, run: () => Promise<T>) => Promise<T>) | null = null;

  register(operation: string, handler: Handler): void {
    if (!SHAPES.has(operation)) throw new Error(`unknown operation ${operation}`);
    this.handlers.set(operation, handler);
  }

  isImplemented(operation: string): boolean {
    return this.handlers.has(operation);
  }

  async call(operation: string, input: unknown, ctx: CallContext = {}): Promise<WireOutput> {
    try {
      const run = () => this.run(operation, input);
      return await (this.around ? this.around(ctx, run) : run());
    } catch (err) {
      // awsJson1_1 (the control plane) answers 400 for every client error, as AWS does; restJson1
      // (runtime, events) keeps the statuses the SDK models (404 not found, 409 in use).
      if (isPersonalizeError(err) && err.$fault === 'client' && SHAPES.get(operation)?.service === 'control') err.httpStatusCode = 400;
      throw err;
    }
  }

  private async run(operation: string, input: unknown): Promise<WireOutput> {
    const shape = SHAPES.get(operation);
    if (!shape) throw new InvalidInputException(`Unknown operation ${operation}.`);
    const handler = this.handlers.get(operation);
    if (!handler) {
      throw new NotImplementedException(`${operation} is not implemented by personalize-local yet; see COVERAGE.md for what is.`);
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new InvalidInputException(`${operation} expects a JSON object as its input.`);
    }
    // Shapes first: handlers may then rely on member types, and get a clean copy (maps without prototypes).
    const checked = validateShape(shape.input, input, '', '') as Record<string, unknown>;
    if (this.beforeCall) await this.beforeCall();
    return handler(checked);
  }
}
