// The HTTP front of PersonalizeApi: one node:http server serving the three SDK clients on one port
// (control plane by X-Amz-Target, runtime/events by path), plus the /_ admin routes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operationShape, type PersonalizeApi } from '../api.js';
import { writeJson } from '../json-writer.js';
import { findByPath, findByTarget, suggestOperation, describeRoute, TARGET_PREFIX, type OperationRoute } from '../operations-table.js';
import { CONTROL_CONTENT_TYPE, REST_CONTENT_TYPE, HttpError, newRequestId, sendText, sendThrown } from './errors.js';
import { REGION_PATTERN } from '../../engine/region.js';
import { discardBody, readJsonBody, tooLarge, type BodyLimits } from './body.js';
import { handleAdmin, isAdminPath, type AdminHooks } from './admin.js';
import { handleConsole, isConsolePath } from './console/index.js';

export type { AdminHooks } from './admin.js';

export interface ServerOptions {
  api: PersonalizeApi;
  host?: string;
  port?: number;
  /** Largest request body accepted; larger ones get 413. Default 10 MiB. */
  maxBodyBytes?: number;
  /** How much of an over-limit body is read and thrown away so the client can read the 413. Default 256 MiB. */
  maxDrainBytes?: number;
  /** A body not received in full within this time gets 408 RequestTimeoutException. Default 60 s. */
  bodyTimeoutMs?: number;
  admin?: AdminHooks;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, lets in-flight requests finish, then resolves. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_DRAIN_BYTES = 256 * 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 60_000;
/** After close(), connections still busy this long are cut (a stuck client must not block shutdown). */
const CLOSE_GRACE_MS = 30_000;

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const limits: BodyLimits = {
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxDrainBytes: opts.maxDrainBytes ?? DEFAULT_MAX_DRAIN_BYTES,
    timeoutMs: opts.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
  };
  let closing = false;
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('x-amzn-RequestId', newRequestId());
    // Once shutting down, finish this reply but do not keep the connection for another request.
    if (closing) res.setHeader('Connection', 'close');
    res.on('close', () => { if (closing) server.closeIdleConnections(); });
    // Counted until the handler settles, not until the socket closes: a client that hangs up must not
    // let close() flush state while an operation is still changing it.
    inFlight++;
    handle(req, res, opts, limits)
      .catch((err) => sendThrown(res, err, REST_CONTENT_TYPE, 'the HTTP layer'))
      .finally(() => {
        if (--inFlight === 0) { const w = idleWaiters; idleWaiters = []; w.forEach((f) => f()); }
      });
  };
  const server = createServer(onRequest);
  // `Expect: 100-continue` (curl sends it for bodies over 1 MB): refuse an over-limit body before it is
  // sent, so neither side moves megabytes for a 413; otherwise let the client go on.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      res.setHeader('x-amzn-RequestId', newRequestId());
      sendThrown(res, tooLarge(limits.maxBodyBytes), req.headers['x-amz-target'] ? CONTROL_CONTENT_TYPE : REST_CONTENT_TYPE);
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  });
  // The SDK keeps connections alive; keep ours open longer than the client's idle reuse so a request
  // is never sent on a socket we are closing at that moment (which would show up as a retried ECONNRESET).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Requests may legitimately run long (synchronous training in `immediate` mode): no request timeout.
  // A body that never ends is answered by the body reader's own timeout (408 with a typed body).
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => { server.off('listening', onListening); reject(err); };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(opts.port ?? 4566, host);
  });
  // After startup a socket error must never take the process down.
  server.on('error', (err) => console.error('personalize-local: server error:', err));
  // Requests Node cannot parse (not HTTP/1.1, headers too large, headers that never end) get a typed
  // answer too, instead of Node's bare `400 Bad Request`.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) { socket.destroy(); return; }
    socket.end(rawError(err));
  });

  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    close() {
      closed ??= (async () => {
        closing = true;
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        await done;
        // A client that hung up early closed its socket before our handler finished: wait for handlers too.
        if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
        clearTimeout(force);
      })();
      return closed;
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ServerOptions, limits: BodyLimits): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0] || '/';
  const method = req.method ?? 'GET';
  const readJson = () => readJsonBody(req, limits);

  // The console (beyond Personalize) reads the engine behind the admin hooks; without one it is not served.
  if (opts.admin?.engine && isConsolePath(pathname)) {
    try {
      await handleConsole(req, res, pathname, { engine: opts.admin.engine, host: opts.host ?? '127.0.0.1', readJson });
    } catch (err) {
      sendThrown(res, err, REST_CONTENT_TYPE, pathname);
    }
    return;
  }
  if (isAdminPath(pathname)) {
    try {
      await handleAdmin(req, res, pathname, opts.admin, readJson);
    } catch (err) {
      await discardBody(req, limits);
      sendThrown(res, err, REST_CONTENT_TYPE, pathname);
    }
    return;
  }

  let op: OperationRoute;
  try {
    op = route(req, pathname);
  } catch (err) {
    await discardBody(req, limits); // read first, so a client sending its whole body before reading sees the answer
    sendThrown(res, err, req.headers['x-amz-target'] ? CONTROL_CONTENT_TYPE : REST_CONTENT_TYPE);
    return;
  }
  const contentType = op.protocol === 'awsJson1_1' ? CONTROL_CONTENT_TYPE : REST_CONTENT_TYPE;
  try {
    if (method !== op.method) {
      await discardBody(req, limits);
      throw new HttpError(405, 'MethodNotAllowedException', `${op.name} takes ${op.method}, not ${method} (${describeRoute(op)}).`, { Allow: op.method });
    }
    const input = await readJson();
    const region = signedRegion(req);
    const output = await opts.api.call(op.name, input, { region });
    sendText(res, 200, writeJson(operationShape(op.name)?.output ?? undefined, output ?? {}), contentType);
  } catch (err) {
    sendThrown(res, err, contentType, op.name);
  }
}

/**
 * The region the request was signed for: the SigV4 credential scope
 * (`Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/personalize/aws4_request, ...`), as
 * LocalStack reads it. Unsigned requests have none (the server's default region serves them).
 */
function signedRegion(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = auth ? /Credential=([^,]*)/.exec(auth) : null;
  const scope = m ? m[1]!.split('/') : [];
  if (scope.length < 5) return undefined; // <key>/<date>/<region>/<service>/aws4_request
  const region = scope[2]!.trim();
  if (!REGION_PATTERN.test(region)) {
    throw new HttpError(400, 'InvalidInputException', `The request is signed for region ${JSON.stringify(region.slice(0, 50))}, which is not a region name (e.g. us-east-1); configure your client's region.`);
  }
  return region;
}

/** A whole HTTP response for a request that could not be parsed, with the AWS error body. */
function rawError(err: NodeJS.ErrnoException): string {
  const [status, reason, type, message] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'InvalidInputException', 'The request headers are too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT' ? [408, 'Request Timeout', 'RequestTimeoutException', 'The request headers were not received in time.']
        : [400, 'Bad Request', 'InvalidInputException', `The request is not valid HTTP/1.1 (${err.code ?? err.message}); send a POST with a JSON body.`];
  const body = JSON.stringify({ __type: type, message });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: ${type}\r\nx-amzn-RequestId: ${newRequestId()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Which operation a request is for; an HttpError naming what was asked when there is none. */
function route(req: IncomingMessage, pathname: string): OperationRoute {
  const rawTarget = req.headers['x-amz-target'];
  const target = Array.isArray(rawTarget) ? rawTarget[0] : rawTarget;
  if (target !== undefined) {
    const op = findByTarget(target);
    if (!op) {
      const near = suggestOperation(target);
      // awsJson1_1: an unknown target is a client error, 400 as AWS answers it.
      throw new HttpError(400, 'UnknownOperationException',
        `Unknown operation: X-Amz-Target ${JSON.stringify(target)}. Control-plane targets look like ${TARGET_PREFIX}<Operation>` +
        (near ? `; did you mean ${describeRoute(near)}?` : '.'));
    }
    if (!pathname.endsWith('/')) {
      throw new HttpError(404, 'UnknownOperationException',
        `X-Amz-Target ${target} was sent to ${pathname}; control-plane operations are POSTed to / (or to the endpoint's path ending in /).`);
    }
    return op;
  }
  const op = findByPath(pathname);
  if (op) return op;
  throw new HttpError(404, 'UnknownOperationException',
    pathname.endsWith('/')
      ? `${req.method} ${pathname} has no X-Amz-Target header: control-plane requests name their operation as X-Amz-Target: ${TARGET_PREFIX}<Operation>.`
      : `Unknown operation: no runtime or events operation at ${req.method} ${pathname}.`);
}
