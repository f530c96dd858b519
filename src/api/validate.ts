// Input validation for every operation: the SDK's shapes (required members, types) plus Personalize's
// field rules (name and ARN patterns, ranges, lengths). Errors name the field path and the rule.
import { InvalidInputException } from '../engine/errors.js';
import type { Shape } from './shape-types.js';

interface Rule { pattern?: RegExp; patternText?: string; min?: number; max?: number; minLength?: number; maxLength?: number; integer?: boolean; values?: string[] }

const NAME: Rule = { pattern: /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/, patternText: "letters, digits, '-' and '_', starting with a letter or digit", minLength: 1, maxLength: 63 };
const ARN: Rule = { pattern: /^arn:([a-z\d-]+):personalize:.*:.*:.+$/, patternText: 'arn:aws:personalize:<region>:<account>:<resource>', maxLength: 256 };

/** Rules by member name; the same member name means the same thing in every operation. */
const RULES: Record<string, Rule> = {
  name: NAME,
  jobName: NAME,
  roleArn: { pattern: /^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/, patternText: 'arn:aws:iam::<12-digit account>:role/<name>', maxLength: 256 },
  kmsKeyArn: { pattern: /^arn:aws.*:kms:.*:[0-9]{12}:key\/.*$/, patternText: 'arn:aws:kms:<region>:<account>:key/<id>', maxLength: 2048 },
  maxResults: { integer: true, min: 1, max: 100 },
  nextToken: { maxLength: 1500 },
  numResults: { integer: true, min: 0 },
  minProvisionedTPS: { integer: true, min: 1 },
  minRecommendationRequestsPerSecond: { integer: true, min: 1 },
  percentPromotedItems: { integer: true, min: 1, max: 100 },
  schema: { minLength: 1, maxLength: 20000 },
  filterExpression: { minLength: 1, maxLength: 2500 },
  datasetType: { pattern: /^[A-Za-z_]+$/, patternText: 'Interactions, Items, Users, Actions or Action_Interactions', maxLength: 256 },
  domain: { values: ['ECOMMERCE', 'VIDEO_ON_DEMAND'] },
  importMode: { values: ['FULL', 'INCREMENTAL'] },
  ingestionMode: { values: ['BULK', 'PUT', 'ALL'] },
  trainingMode: { values: ['FULL', 'UPDATE', 'AUTOTRAIN'] },
  batchInferenceJobMode: { values: ['BATCH_INFERENCE', 'THEME_GENERATION'] },
  recipeProvider: { values: ['SERVICE'] },
  objectiveSensitivity: { values: ['LOW', 'MEDIUM', 'HIGH', 'OFF'] },
  eventType: { maxLength: 256 },
  userId: { maxLength: 256 },
  itemId: { maxLength: 256 },
  sessionId: { minLength: 1, maxLength: 256 },
  dataLocation: { maxLength: 256 },
  path: { pattern: /^(s3|http|https|file):\/\/.+|^[^:]+$/, patternText: 's3://bucket/key (or a local path / file:// URL)', maxLength: 256 },
  tagKey: { minLength: 1, maxLength: 128, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u, patternText: 'letters, digits, spaces and _ . : / = + - @' },
  tagValue: { minLength: 0, maxLength: 256, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u, patternText: 'letters, digits, spaces and _ . : / = + - @' },
  weight: { min: 0, max: 1 },
};

const LIST_MAX: Record<string, number> = { tags: 200, tagKeys: 200, eventList: 10, items: 10, users: 10, actions: 10, actionInteractions: 10, inputList: 500, impression: 25, promotions: 1, eventParametersList: 10, metrics: 10 };
const LIST_MIN: Record<string, number> = { eventList: 1, items: 1, users: 1, actions: 1, actionInteractions: 1 };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function fail(path: string, msg: string): never {
  throw new InvalidInputException(`${path} ${msg}`);
}

function checkRule(path: string, member: string, v: unknown): void {
  const r = member.endsWith('Arn') && !RULES[member] ? ARN : RULES[member];
  if (!r) return;
  if (typeof v === 'string') {
    if (r.values && !r.values.includes(v)) fail(path, `must be one of ${r.values.join(', ')} (got ${JSON.stringify(v)}).`);
    if (r.minLength !== undefined && v.length < r.minLength) fail(path, `must have at least ${r.minLength} character(s).`);
    if (r.maxLength !== undefined && v.length > r.maxLength) fail(path, `must have at most ${r.maxLength} characters (got ${v.length}).`);
    if (r.pattern && !r.pattern.test(v)) fail(path, `${JSON.stringify(v.length > 80 ? v.slice(0, 80) + '...' : v)} does not match the required form: ${r.patternText}.`);
  } else if (typeof v === 'number') {
    if (r.integer && !Number.isInteger(v)) fail(path, `must be an integer (got ${v}).`);
    if (r.min !== undefined && v < r.min) fail(path, `must be at least ${r.min} (got ${v}).`);
    if (r.max !== undefined && v > r.max) fail(path, `must be at most ${r.max} (got ${v}).`);
  }
}

/** Check `value` against `shape`; `path` names the member for messages (e.g. `solutionConfig.eventsConfig`). */
export function validateShape(shape: Shape, value: unknown, path: string, member: string): void {
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `must be an object, not ${describe(value)}.`);
      const obj = value as Record<string, unknown>;
      for (const [m, s] of Object.entries(shape.members)) {
        const v = obj[m];
        const p = path ? `${path}.${m}` : m;
        if (v === undefined || v === null) {
          if (s.required) fail(p, 'is required.');
          continue;
        }
        validateShape(s, v, p, m);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) fail(path, `must be a list, not ${describe(value)}.`);
      if (LIST_MAX[member] !== undefined && value.length > LIST_MAX[member]!) fail(path, `has ${value.length} entries; at most ${LIST_MAX[member]} are allowed.`);
      if (LIST_MIN[member] !== undefined && value.length < LIST_MIN[member]!) fail(path, `needs at least ${LIST_MIN[member]} entr${LIST_MIN[member] === 1 ? 'y' : 'ies'}.`);
      value.forEach((v, i) => validateShape(shape.member, v, `${path}[${i}]`, member));
      return;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `must be an object (a map), not ${describe(value)}.`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) validateShape(shape.value, v, `${path}.${k}`, k);
      return;
    }
    case 'string':
    case 'jsonString':
      if (typeof value !== 'string') fail(path, `must be a string, not ${describe(value)}.`);
      checkRule(path, member, value);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `must be a number, not ${describe(value)}.`);
      checkRule(path, member, value);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, `must be true or false, not ${describe(value)}.`);
      return;
    case 'timestamp':
      // Epoch seconds as the SDK sends them; ISO strings and Dates are accepted too (see sdk-protocol.md §3).
      if (typeof value === 'number' && Number.isFinite(value)) return;
      if (value instanceof Date && !Number.isNaN(value.getTime())) return;
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return;
      fail(path, `must be a timestamp in epoch seconds (or an ISO 8601 string), not ${describe(value)}.`);
  }
}
