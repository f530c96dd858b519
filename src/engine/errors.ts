// Typed AWS-style errors: `name` is the AWS exception name, the message says what was wrong and how to fix it.
// They live in the engine (the lowest layer that throws them); the api re-exports them.

export type ErrorName =
  | 'InvalidInputException'
  | 'InvalidNextTokenException'
  | 'LimitExceededException'
  | 'ResourceAlreadyExistsException'
  | 'ResourceInUseException'
  | 'ResourceNotFoundException'
  | 'TooManyTagKeysException'
  | 'TooManyTagsException'
  | 'NotImplementedException';

/**
 * HTTP status the SDK models for each exception (see sdk-protocol.md §5): what the runtime and events
 * APIs (restJson1) answer. The control plane (awsJson1_1) answers 400 for every client error, as AWS does.
 */
export const HTTP_STATUS: Record<ErrorName, number> = {
  InvalidInputException: 400,
  InvalidNextTokenException: 400,
  LimitExceededException: 409,
  ResourceAlreadyExistsException: 403,
  ResourceInUseException: 409,
  ResourceNotFoundException: 404,
  TooManyTagKeysException: 400,
  TooManyTagsException: 400,
  // 501 is not retried by the SDK (only 500/502/503/504 are transient).
  NotImplementedException: 501,
};

export class PersonalizeError extends Error {
  override readonly name: ErrorName;
  readonly $fault: 'client' | 'server';
  /** The modelled status; the api layer sets 400 for control-plane client errors (awsJson1_1). */
  httpStatusCode: number;
  constructor(name: ErrorName, message: string) {
    super(message);
    this.name = name;
    this.httpStatusCode = HTTP_STATUS[name];
    this.$fault = this.httpStatusCode >= 500 ? 'server' : 'client';
  }
  /** Shaped like the SDK's errors, so code that reads `err.$metadata.httpStatusCode` works in process too. */
  get $metadata(): { httpStatusCode: number; attempts: number } {
    return { httpStatusCode: this.httpStatusCode, attempts: 1 };
  }
}

export class InvalidInputException extends PersonalizeError {
  constructor(message: string) { super('InvalidInputException', message); }
}
export class InvalidNextTokenException extends PersonalizeError {
  constructor(message: string) { super('InvalidNextTokenException', message); }
}
export class LimitExceededException extends PersonalizeError {
  constructor(message: string) { super('LimitExceededException', message); }
}
export class ResourceAlreadyExistsException extends PersonalizeError {
  constructor(message: string) { super('ResourceAlreadyExistsException', message); }
}
export class ResourceInUseException extends PersonalizeError {
  constructor(message: string) { super('ResourceInUseException', message); }
}
export class ResourceNotFoundException extends PersonalizeError {
  constructor(message: string) { super('ResourceNotFoundException', message); }
}
export class TooManyTagKeysException extends PersonalizeError {
  constructor(message: string) { super('TooManyTagKeysException', message); }
}
export class TooManyTagsException extends PersonalizeError {
  constructor(message: string) { super('TooManyTagsException', message); }
}
/** An operation or option this local emulator does not provide; never a fake success. */
export class NotImplementedException extends PersonalizeError {
  constructor(message: string) { super('NotImplementedException', message); }
}

export function isPersonalizeError(e: unknown): e is PersonalizeError {
  return e instanceof PersonalizeError;
}
