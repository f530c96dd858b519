// Input validation for every operation: the SDK's shapes (required members, types) plus Personalize's
// field rules (name and ARN patterns, ranges, lengths, map keys). Errors name the field path and the rule.
// Validation also makes the copy handlers see: only the shape's members, and every map a null-prototype
// object, so a caller's key (`__proto__`, `constructor`) is only ever a plain key.
import { InvalidInputException } from '../engine/errors.js';
import type { Shape } from './shape-types.js';

interface Rule { pattern?: RegExp; patternText?: string; min?: number; max?: number; minLength?: number; maxLength?: number; values?: readonly string[] }
/** A map member's rules: how many entries, what its keys and values may be (botocore's key/value shapes). */
interface MapRule { maxEntries?: number; key: Rule; value?: Rule; listMax?: number }

const NAME: Rule = { pattern: /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/, patternText: "letters, digits, '-' and '_', starting with a letter or digit", minLength: 1, maxLength: 63 };
const ARN: Rule = { pattern: /^arn:([a-z\d-]+):personalize:.*:.*:.+$/, patternText: 'arn:aws:personalize:<region>:<account>:<resource>', maxLength: 256 };
/** Any other string: the longest any input string may be in the SDK models (item properties: 32,000 characters). */
const ANY_STRING: Rule = { maxLength: 32000 };
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** Rules by member name; the same member name means the same thing in every operation. */
const RULES = new Map<string, Rule>(Object.entries({
  name: NAME,
  jobName: NAME,
  roleArn: { pattern: /^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/, patternText: 'arn:aws:iam::<12-digit account>:role/<name>', maxLength: 256 },
  kmsKeyArn: { pattern: /^arn:aws.*:kms:.*:[0-9]{12}:key\/.*$/, patternText: 'arn:aws:kms:<region>:<account>:key/<id>', maxLength: 2048 },
  maxResults: { min: 1, max: 100 },
  nextToken: { maxLength: 1500 },
  numResults: { min: 0 },
  minProvisionedTPS: { min: 1 },
  minRecommendationRequestsPerSecond: { min: 1 },
  percentPromotedItems: { min: 1, max: 100 },
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
  actionId: { maxLength: 256 },
  sessionId: { minLength: 1, maxLength: 256 },
  dataLocation: { maxLength: 256 },
  path: { pattern: /^(s3|http|https|file):\/\/.+|^[^:]+$/, patternText: 's3://bucket/key (or a local path / file:// URL)', maxLength: 256 },
  tagKey: { minLength: 1, maxLength: 128, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u, patternText: 'letters, digits, spaces and _ . : / = + - @' },
  tagValue: { minLength: 0, maxLength: 256, pattern: /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u, patternText: 'letters, digits, spaces and _ . : / = + - @' },
  weight: { min: 0, max: 1 },
}));

const PARAMETERS: MapRule = { maxEntries: 100, key: { minLength: 1, maxLength: 256 }, value: { maxLength: 1000 } };
const DATASET_COLUMNS: MapRule = { maxEntries: 3, key: { pattern: /^[A-Za-z_]+$/, patternText: 'a dataset type such as Items', maxLength: 256 }, listMax: 50 };

/** Map members by name (botocore's key and value shapes). */
const MAP_RULES = new Map<string, MapRule>(Object.entries({
  filterValues: { maxEntries: 25, key: { pattern: /^[A-Za-z0-9_]+$/, patternText: 'letters, digits and _ (the placeholder name without $)', maxLength: 50 }, value: { maxLength: 1000 } },
  context: { maxEntries: 150, key: { pattern: /^[A-Za-z\d_]+$/, patternText: 'letters, digits and _ (a contextual column of the Interactions schema)', maxLength: 150 }, value: { maxLength: 1000 } },
  metadataColumns: { maxEntries: 1, key: { minLength: 1, maxLength: 256 }, listMax: 99 },
  algorithmHyperParameters: PARAMETERS,
  featureTransformationParameters: PARAMETERS,
  itemExplorationConfig: PARAMETERS,
  rankingInfluence: { key: { values: ['POPULARITY', 'FRESHNESS'] }, value: { min: 0, max: 1 } },
  excludedDatasetColumns: DATASET_COLUMNS,
  includedDatasetColumns: DATASET_COLUMNS,
}));
const ANY_MAP: MapRule = { maxEntries: 1000, key: { maxLength: 256 } };

const LIST_MAX = new Map<string, number>(Object.entries({ tags: 200, tagKeys: 200, eventList: 10, items: 10, users: 10, actions: 10, actionInteractions: 10, inputList: 500, impression: 25, promotions: 1, eventParametersList: 10, metrics: 10, recipeList: 100, values: 100, integerHyperParameterRanges: 100, continuousHyperParameterRanges: 100, categoricalHyperParameterRanges: 100 }));
const LIST_MIN = new Map<string, number>(Object.entries({ eventList: 1, items: 1, users: 1, actions: 1, actionInteractions: 1 }));
/** Lists no member names: at most this many entries. */
const ANY_LIST_MAX = 1000;

/** A value for a message: its type, and a short quote of it (a caller's 10 MB string is not echoed back). */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${quote(v)}`;
  return `${typeof v} ${String(v)}`;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '...' : s);
}

/** `path.key` for plain keys, `path["key"]` for any other (quoted, shortened). */
function keyPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key) ? `${path}.${key}` : `${path}[${quote(key)}]`;
}

function fail(path: string, msg: string): never {
  throw new InvalidInputException(`${path} ${msg}`);
}

function ruleFor(member: string): Rule | undefined {
  return RULES.get(member) ?? (member.endsWith('Arn') ? ARN : undefined);
}

function checkString(path: string, v: string, r: Rule): void {
  if (r.values && !r.values.includes(v)) fail(path, `must be one of ${r.values.join(', ')} (got ${quote(v)}).`);
  if (r.minLength !== undefined && v.length < r.minLength) fail(path, `must have at least ${r.minLength} character(s).`);
  if (r.maxLength !== undefined && v.length > r.maxLength) fail(path, `must have at most ${r.maxLength} characters (got ${v.length}).`);
  if (r.pattern && !r.pattern.test(v)) fail(path, `${quote(v)} does not match the required form: ${r.patternText}.`);
}

function checkNumber(path: string, v: number, r: Rule | undefined): void {
  if (r?.min !== undefined && v < r.min) fail(path, `must be at least ${r.min} (got ${v}).`);
  if (r?.max !== undefined && v > r.max) fail(path, `must be at most ${r.max} (got ${v}).`);
}

function checkList(path: string, value: unknown, max: number | undefined, min: number | undefined): unknown[] {
  if (!Array.isArray(value)) fail(path, `must be a list, not ${describe(value)}.`);
  if (max !== undefined && value.length > max) fail(path, `has ${value.length} entries; at most ${max} are allowed.`);
  if (min !== undefined && value.length < min) fail(path, `needs at least ${min} entr${min === 1 ? 'y' : 'ies'}.`);
  return value;
}

/**
 * Check `value` against `shape` and return the copy handlers get; `path` names the member for messages
 * (e.g. `solutionConfig.eventsConfig`), `member` is its name (whose rules apply). Members the shape does
 * not know are left out of the copy (the SDKs never send them; AWS ignores them).
 */
export function validateShape(shape: Shape, value: unknown, path: string, member: string): unknown {
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path || 'The input', `must be an object, not ${describe(value)}.`);
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const m of Object.keys(shape.members)) {
        const s = shape.members[m]!;
        const v = Object.hasOwn(obj, m) ? obj[m] : undefined;
        const p = path ? `${path}.${m}` : m;
        if (v === undefined || v === null) {
          if (s.required) fail(p, 'is required.');
          continue;
        }
        out[m] = validateShape(s, v, p, m);
      }
      return out;
    }
    case 'list': {
      const list = checkList(path, value, LIST_MAX.get(member) ?? ANY_LIST_MAX, LIST_MIN.get(member));
      const out = new Array<unknown>(list.length);
      for (let i = 0; i < list.length; i++) {
        if (list[i] === null || list[i] === undefined) fail(`${path}[${i}]`, 'must not be null.');
        out[i] = validateShape(shape.member, list[i], `${path}[${i}]`, member);
      }
      return out;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `must be an object (a map), not ${describe(value)}.`);
      const rule = MAP_RULES.get(member) ?? ANY_MAP;
      const keys = Object.keys(value);
      if (rule.maxEntries !== undefined && keys.length > rule.maxEntries) fail(path, `has ${keys.length} entries; at most ${rule.maxEntries} are allowed.`);
      const out = Object.create(null) as Record<string, unknown>;
      for (const k of keys) {
        const p = keyPath(path, k);
        checkString(`${p} (a key of ${path})`, k, rule.key);
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || v === null) fail(p, 'must not be null.');
        out[k] = validateMapValue(shape.value, v, p, rule);
      }
      return out;
    }
    case 'string':
    case 'jsonString':
      if (typeof value !== 'string') fail(path, `must be a string, not ${describe(value)}.`);
      checkString(path, value, ruleFor(member) ?? ANY_STRING);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(path, `must be an integer, not ${describe(value)}.`);
      if (value < INT32.min || value > INT32.max) fail(path, `must be a 32-bit integer (got ${value}).`);
      checkNumber(path, value, ruleFor(member));
      return value;
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `must be a number, not ${describe(value)}.`);
      checkNumber(path, value, ruleFor(member));
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, `must be true or false, not ${describe(value)}.`);
      return value;
    case 'timestamp':
      // Epoch seconds as the SDK sends them; ISO strings and Dates are accepted too (see sdk-protocol.md §3).
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
      if (typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value))) return value;
      fail(path, `must be a timestamp in epoch seconds (or an ISO 8601 string), not ${describe(value)}.`);
  }
}

/** A map's value: by the map's value rule, never by rules of a member that happens to share the key's name. */
function validateMapValue(shape: Shape, v: unknown, path: string, rule: MapRule): unknown {
  switch (shape.type) {
    case 'string':
      if (typeof v !== 'string') fail(path, `must be a string, not ${describe(v)}.`);
      checkString(path, v, rule.value ?? ANY_STRING);
      return v;
    case 'double':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `must be a number, not ${describe(v)}.`);
      checkNumber(path, v, rule.value);
      return v;
    case 'list': {
      const list = checkList(path, v, rule.listMax ?? ANY_LIST_MAX, undefined);
      return list.map((x, i) => validateShape(shape.member, x, `${path}[${i}]`, ''));
    }
    default:
      return validateShape(shape, v, path, '');
  }
}
