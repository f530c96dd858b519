// How replies go on the wire: JSON bodies, the request-id header on every reply, and the AWS error
// format that all three SDK clients decode (body `__type` + `message`, header `x-amzn-ErrorType`).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { isPersonalizeError } from '../../engine/errors.js';

export const CONTROL_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const REST_CONTENT_TYPE = 'application/json';

/** An error of the HTTP layer itself (unknown route, bad body, ...), not of an operation. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** A fresh request id per reply; ids are not part of any deterministic output. */
export function newRequestId(): string {
  return randomUUID();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = REST_CONTENT_TYPE, headers: Record<string, string> = {}): void {
  sendText(res, status, body === undefined ? '' : JSON.stringify(body), contentType, headers);
}

/** A reply whose JSON text is already written (operation outputs: see json-writer.ts). */
export function sendText(res: ServerResponse, status: number, text: string, contentType = REST_CONTENT_TYPE, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

export function sendError(res: ServerResponse, status: number, type: string, message: string, contentType = REST_CONTENT_TYPE, headers: Record<string, string> = {}): void {
  // Both `__type` (found first by awsJson1_1) and the header (found first by restJson1), so every
  // client maps the error to its modeled class.
  sendJson(res, status, { __type: type, message }, contentType, { 'x-amzn-ErrorType': type, ...headers });
}

/**
 * Any thrown value to a reply. PersonalizeError and HttpError carry their status; anything else is a
 * bug in this emulator: 500 InternalFailure, logged with its stack, and the process stays up.
 */
export function sendThrown(res: ServerResponse, err: unknown, contentType = REST_CONTENT_TYPE, context = ''): void {
  if (isPersonalizeError(err)) {
    sendError(res, err.httpStatusCode, err.name, err.message, contentType);
  } else if (err instanceof HttpError) {
    sendError(res, err.status, err.type, err.message, contentType, err.headers);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`personalize-local: internal error${context ? ` in ${context}` : ''}:`, err instanceof Error ? err.stack : err);
    sendError(res, 500, 'InternalFailure', `Internal error in personalize-local${context ? ` (${context})` : ''}: ${message}`, contentType);
  }
}
