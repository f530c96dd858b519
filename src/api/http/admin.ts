// The non-AWS routes under `/_`: a localstack-compatible health check (so tools that wait for
// localstack also wait for us) and personalize-local's own health, reset and clock controls.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../../engine/core/engine.js';
import { VERSION } from '../../version.js';
import { HttpError, sendJson } from './errors.js';

export interface AdminHooks {
  reset(): Promise<void>;
  health(): Record<string, unknown>;
  /** Moves the engine clock (forward on the system clock; anywhere on a manual one); absent for a clock of the caller's. */
  clock?(body: unknown): Promise<Record<string, unknown>>;
  /** A GetRecommendations request answered with a trace of every pipeline stage (beyond Personalize). */
  explain?(body: unknown): Promise<Record<string, unknown>>;
  /** The engine behind the API: the console (/_personalize/ui) is served when it is given. */
  engine?: Engine;
}

type AdminRoute = {
  methods: readonly string[];
  run(admin: AdminHooks | undefined, readJson: () => Promise<unknown>): Promise<unknown>;
};

const ROUTES: Record<string, AdminRoute> = {
  '/_localstack/health': {
    methods: ['GET', 'HEAD'],
    run: async () => ({
      services: { personalize: 'running', 'personalize-runtime': 'running', 'personalize-events': 'running' },
      edition: 'community',
      version: `personalize-local-${VERSION}`,
    }),
  },
  '/_personalize/health': {
    methods: ['GET', 'HEAD'],
    // clockCanAdvance: whether POST /_personalize/clock can move time (the console shows its clock control then).
    run: async (admin) => ({ status: 'ok', version: VERSION, ...(admin?.health() ?? {}), clockCanAdvance: Boolean(admin?.clock) }),
  },
  '/_personalize/reset': {
    methods: ['POST'],
    run: async (admin) => {
      if (!admin) throw notAvailable('/_personalize/reset');
      await admin.reset();
      return {};
    },
  },
  '/_personalize/clock': {
    methods: ['POST'],
    run: async (admin, readJson) => {
      if (!admin?.clock) throw notAvailable('/_personalize/clock', ' (the engine runs on a clock given in code; move that one)');
      return admin.clock(await readJson());
    },
  },
  '/_personalize/explain': {
    methods: ['POST'],
    run: async (admin, readJson) => {
      if (!admin?.explain) throw notAvailable('/_personalize/explain');
      return admin.explain(await readJson());
    },
  },
};

function notAvailable(path: string, why = ''): HttpError {
  return new HttpError(404, 'UnknownOperationException', `${path} is not available on this server${why}.`);
}

export function isAdminPath(pathname: string): boolean {
  return pathname.startsWith('/_localstack/') || pathname.startsWith('/_personalize/');
}

/** Serves one admin request; throws HttpError/PersonalizeError for the caller to reply with. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  admin: AdminHooks | undefined,
  readJson: () => Promise<unknown>,
): Promise<void> {
  const route = ROUTES[pathname];
  if (!route) {
    throw new HttpError(404, 'UnknownOperationException',
      `No admin route ${pathname}; known: ${Object.keys(ROUTES).join(', ')}.`);
  }
  const method = req.method ?? 'GET';
  if (!route.methods.includes(method)) {
    throw new HttpError(405, 'MethodNotAllowedException',
      `${method} ${pathname} is not allowed; use ${route.methods.join(' or ')}.`, { Allow: route.methods.join(', ') });
  }
  sendJson(res, 200, await route.run(admin, readJson));
}
