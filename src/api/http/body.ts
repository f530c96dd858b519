// Reading a request body within limits, always ending in an answer the client can read: too large ->
// 413 after the rest is read and thrown away (up to a bound), never received in full -> 408. Both close
// the connection, since what is left of it cannot be trusted for another request.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export interface BodyLimits {
  /** Largest body accepted. */
  maxBodyBytes: number;
  /** How much more of an over-limit body is read and dropped before the 413 goes out anyway. */
  maxDrainBytes: number;
  /** Time to receive the whole body. */
  timeoutMs: number;
}

export function tooLarge(maxBodyBytes: number): HttpError {
  return new HttpError(413, 'InvalidInputException',
    `Request body is larger than ${maxBodyBytes} bytes (the limit of this server; start it with a larger maxBodyBytes if needed).`,
    { Connection: 'close' });
}

/**
 * The body's bytes. An over-limit body is not buffered: the rest is read and dropped until it ends, and
 * only then is the 413 answered. A client that sends its whole body before reading (urllib3, so boto3
 * and the AWS CLI) would otherwise be cut off mid-write and see a reset connection instead of the error.
 * Past `maxDrainBytes` of dropped bytes the answer goes out regardless.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let settled = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      if (err) {
        req.resume(); // whatever still comes is dropped, never buffered
        reject(err);
      } else {
        resolve(body!);
      }
    };
    const timer = setTimeout(() => finish(new HttpError(408, 'RequestTimeoutException',
      `The request body was not received within ${Math.round(limits.timeoutMs / 1000)} s (${size} bytes arrived${declaredText(req)}); send the whole body at once.`,
      { Connection: 'close' })), limits.timeoutMs);
    timer.unref();
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > limits.maxBodyBytes) {
        over = true;
        chunks.length = 0;
      }
      if (over) {
        if (size > limits.maxBodyBytes + limits.maxDrainBytes) finish(tooLarge(limits.maxBodyBytes));
        return;
      }
      chunks.push(chunk);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes + limits.maxDrainBytes) {
      // Beyond what we would drain: answer now; the client will likely see the connection close.
      finish(tooLarge(limits.maxBodyBytes));
      return;
    }
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) over = true;
    req.on('data', onData);
    // The client went away mid-body: nobody will read a reply, so this is not an internal failure.
    req.on('error', (err) => finish(new HttpError(400, 'InvalidInputException', `Request body was not received: ${err.message}.`, { Connection: 'close' })));
    // A small body arrives as one chunk: use it as it is rather than copying it into a new buffer.
    req.on('end', () => finish(over ? tooLarge(limits.maxBodyBytes) : null, over ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  });
}

function declaredText(req: IncomingMessage): string {
  const d = req.headers['content-length'];
  return d === undefined ? '' : ` of the ${d} announced`;
}

/** Reads and drops a body that will not be used (before answering an unknown route, say); never throws. */
export async function discardBody(req: IncomingMessage, limits: BodyLimits): Promise<void> {
  if (req.complete || req.readableDidRead) return; // received, or already being read (and answered) by readBody
  await readBody(req, limits).catch(() => {});
}

/** The request body as a JSON value (`{}` when empty); not JSON -> 400 InvalidInputException. */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const text = (await readBody(req, limits)).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'InvalidInputException',
      `The request body is not valid JSON (${(err as Error).message.slice(0, 200)}); send a JSON object such as {}.`);
  }
}
