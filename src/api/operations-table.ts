// The one routing table of all operations of the three SDK clients (derived from OPERATION_SHAPES),
// and the COVERAGE.md renderer that reports which of them this build implements.
import { OPERATION_SHAPES } from './shapes.generated.js';
import { recipeCoverageLines } from './recipe-coverage.js';
import type { Service } from './shape-types.js';
import type { PersonalizeApi } from './api.js';

export type Protocol = 'awsJson1_1' | 'restJson1';

export interface OperationRoute {
  name: string;
  service: Service;
  protocol: Protocol;
  method: 'POST';
  /** `/` for the control plane (plus the target header); the REST path for runtime and events. */
  path: string;
  /** `AmazonPersonalize.<Op>`: the X-Amz-Target value, control plane only. */
  target?: string;
}

export const TARGET_PREFIX = 'AmazonPersonalize.';

/** SDK package of each service, for messages and COVERAGE.md. */
export const SERVICE_PACKAGES: Record<Service, string> = {
  control: '@aws-sdk/client-personalize',
  runtime: '@aws-sdk/client-personalize-runtime',
  events: '@aws-sdk/client-personalize-events',
};

const SERVICE_ORDER: readonly Service[] = ['control', 'runtime', 'events'];

export const OPERATIONS: readonly OperationRoute[] = OPERATION_SHAPES.map((s): OperationRoute =>
  s.service === 'control'
    ? { name: s.name, service: s.service, protocol: 'awsJson1_1', method: 'POST', path: '/', target: TARGET_PREFIX + s.name }
    : { name: s.name, service: s.service, protocol: 'restJson1', method: 'POST', path: s.path },
).sort((a, b) => SERVICE_ORDER.indexOf(a.service) - SERVICE_ORDER.indexOf(b.service) || a.name.localeCompare(b.name));

const BY_TARGET = new Map(OPERATIONS.filter((o) => o.target).map((o) => [o.target!, o]));
const REST_OPS = OPERATIONS.filter((o) => o.protocol === 'restJson1');

// Fail at load time rather than route ambiguously if the generated shapes ever disagree with the
// assumptions made here (two REST operations on one path, or a REST path that is a suffix of another).
for (const a of REST_OPS) {
  for (const b of REST_OPS) {
    if (a !== b && a.path.endsWith(b.path)) throw new Error(`ambiguous REST paths: ${a.name} ${a.path} / ${b.name} ${b.path}`);
  }
}

/** The control-plane operation named by an X-Amz-Target value, e.g. `AmazonPersonalize.DescribeSchema`. */
export function findByTarget(target: string): OperationRoute | undefined {
  return BY_TARGET.get(target.trim());
}

/**
 * The runtime/events operation for a request path. An endpoint URL with a path keeps it as a prefix
 * (`http://h:p/pfx` makes the runtime client POST `/pfx/recommendations`), so match on the suffix.
 */
export function findByPath(pathname: string): OperationRoute | undefined {
  return REST_OPS.find((o) => pathname.endsWith(o.path));
}

/** For error messages: a case-insensitive near miss of a target or operation name. */
export function suggestOperation(asked: string): OperationRoute | undefined {
  const bare = asked.trim().toLowerCase().replace(/^.*\./, '');
  return OPERATIONS.find((o) => o.name.toLowerCase() === bare);
}

export function describeRoute(o: OperationRoute): string {
  return o.target ? `POST / + X-Amz-Target: ${o.target}` : `POST ${o.path}`;
}

/** COVERAGE.md: which operations this build serves (written by `personalize-local coverage`). */
export function coverageMarkdown(api: PersonalizeApi): string {
  const count = (svc?: Service) => {
    const ops = OPERATIONS.filter((o) => !svc || o.service === svc);
    return { done: ops.filter((o) => api.isImplemented(o.name)).length, total: ops.length };
  };
  const all = count();
  const lines: string[] = [
    '# Coverage',
    '',
    '<!-- Generated: `npm run build && node dist/cli.js coverage > COVERAGE.md`. Do not edit by hand. -->',
    '',
    `**${all.done} of ${all.total} operations implemented.**`,
    '',
    '| service | SDK package | implemented |',
    '|---|---|---|',
    ...SERVICE_ORDER.map((s) => {
      const c = count(s);
      return `| ${s} | \`${SERVICE_PACKAGES[s]}\` | ${c.done} / ${c.total} |`;
    }),
    '',
    'Operations that are not implemented answer HTTP 501 `NotImplementedException` (not retried by the SDK).',
    '',
    '| service | operation | route | status |',
    '|---|---|---|---|',
    ...OPERATIONS.map((o) =>
      `| ${o.service} | ${o.name} | \`${describeRoute(o)}\` | ${api.isImplemented(o.name) ? 'implemented' : 'not implemented'} |`),
    '',
    ...recipeCoverageLines(),
  ];
  return lines.join('\n');
}
