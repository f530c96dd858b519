// The console in the browser (beyond Personalize): its page and files under /_personalize/ui/ and its
// read-only data routes under /_personalize/console/, on the API's port and state. Everything else the page
// shows comes from the real API, called as the SDKs call it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../../../engine/core/engine.js';
import { InvalidInputException } from '../../../engine/errors.js';
import { HttpError, sendJson } from '../errors.js';
import { asset, clientBuilt } from './assets.js';
import { DATA_PREFIX, DATA_ROUTES, dataRoute } from './data-routes.js';
import { CONTENT_SECURITY_POLICY, UI_PATH, consolePage } from './page.js';
import { STYLE } from './style.js';

export { UI_PATH } from './page.js';

export interface ConsoleContext {
  engine: Engine;
  /** The address the server is bound to (a banner says so when it is not a loopback address). */
  host: string;
  readJson(): Promise<unknown>;
}

export function isConsolePath(pathname: string): boolean {
  return pathname === UI_PATH || pathname.startsWith(`${UI_PATH}/`) || pathname.startsWith(DATA_PREFIX);
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
};

function methodCheck(req: IncomingMessage, pathname: string, allowed: readonly string[]): void {
  const method = req.method ?? 'GET';
  if (!allowed.includes(method)) {
    throw new HttpError(405, 'MethodNotAllowedException', `${method} ${pathname} is not allowed; use ${allowed.join(' or ')}.`, { Allow: allowed.join(', ') });
  }
}

function send(res: ServerResponse, status: number, body: Buffer | string, contentType: string): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Serves one console request; throws HttpError / PersonalizeError for the caller to reply with. */
export async function handleConsole(req: IncomingMessage, res: ServerResponse, pathname: string, ctx: ConsoleContext): Promise<void> {
  if (pathname.startsWith(DATA_PREFIX)) {
    const name = pathname.slice(DATA_PREFIX.length);
    const route = dataRoute(name);
    if (!route) throw new HttpError(404, 'UnknownOperationException', `No console route ${pathname}; known: ${DATA_ROUTES.join(', ')}.`);
    methodCheck(req, pathname, route.method === 'GET' ? ['GET', 'HEAD'] : ['POST']);
    const query = new URL(req.url ?? '/', 'http://local').searchParams;
    const body = async () => {
      const b = await ctx.readJson();
      if (!b || typeof b !== 'object' || Array.isArray(b)) throw new InvalidInputException('The request body must be a JSON object.');
      return b as Record<string, unknown>;
    };
    sendJson(res, 200, await route.run(ctx.engine, query, body), 'application/json', { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    return;
  }
  methodCheck(req, pathname, ['GET', 'HEAD']);
  const rest = pathname === UI_PATH ? '' : pathname.slice(UI_PATH.length + 1);
  if (rest === '' || rest === 'index.html') {
    send(res, 200, consolePage({ host: ctx.host, clientBuilt: clientBuilt() }), 'text/html; charset=utf-8');
    return;
  }
  const file = asset(rest, STYLE);
  if (!file) throw new HttpError(404, 'NotFoundException', `No console file ${pathname}.`);
  send(res, 200, file.body, file.contentType);
}
