// Avro schemas as Personalize accepts them: avsc parses the document, then Personalize's own rules
// (flat records, allowed types, categorical/textual, reserved fields, per-dataset-type requirements).
import avro from 'avsc';
import { InvalidInputException } from '../errors.js';
import type { DatasetType, FieldSpec, FieldType, ParsedSchema } from './types.js';

const ALLOWED: ReadonlySet<string> = new Set(['string', 'int', 'long', 'float', 'double', 'boolean']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fail(msg: string): never {
  throw new InvalidInputException(`Invalid schema: ${msg}`);
}

/** Parse an Avro schema string and apply the rules every Personalize schema must meet. */
export function parseSchema(text: string): ParsedSchema {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(`the schema is not valid JSON (${(e as Error).message}). Pass the Avro record as a JSON string.`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) fail('the schema must be a JSON object describing an Avro record.');
  const d = doc as Record<string, unknown>;
  if (d.type !== 'record') fail(`"type" must be "record" (found ${JSON.stringify(d.type)}).`);
  if (typeof d.name !== 'string' || !d.name) fail('the record needs a "name", e.g. "Interactions".');
  if (!Array.isArray(d.fields) || d.fields.length === 0) fail('the record needs a non-empty "fields" array.');

  const fields: FieldSpec[] = [];
  const squashed = new Map<string, string>();
  for (const [i, raw] of (d.fields as unknown[]).entries()) {
    if (!raw || typeof raw !== 'object') fail(`field ${i} must be an object with "name" and "type".`);
    const f = raw as Record<string, unknown>;
    const name = f.name;
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
      fail(`field ${i} has name ${JSON.stringify(name)}; names must match [A-Za-z_][A-Za-z0-9_]*.`);
    }
    // Personalize compares names alphanumerically: GENRES_FIELD_1 and GENRESFIELD1 collide.
    const key = name.replace(/_/g, '').toUpperCase();
    const prior = squashed.get(key);
    if (prior !== undefined) fail(`fields "${prior}" and "${name}" are the same name alphanumerically; rename one.`);
    squashed.set(key, name);

    const { type, nullable } = fieldType(name, f.type);
    const categorical = f.categorical === true;
    const textual = f.textual === true;
    if ((categorical || textual) && type !== 'string') {
      fail(`field "${name}" is ${categorical ? 'categorical' : 'textual'} but of type ${type}; only string fields can be.`);
    }
    if (categorical && textual) fail(`field "${name}" cannot be both categorical and textual.`);
    const itemName = f.itemName === true;
    if (itemName && (type !== 'string' || textual)) fail(`field "${name}" is marked "itemName" (the item's title); it must be a string field that is not textual.`);
    fields.push({ name, type, nullable, categorical, textual, ...(itemName ? { itemName } : {}) });
  }
  if (fields.filter((f) => f.textual).length > 1) {
    fail(`at most one textual field is allowed (found ${fields.filter((f) => f.textual).map((f) => f.name).join(', ')}).`);
  }
  if (fields.filter((f) => f.itemName).length > 1) {
    fail(`at most one field can be marked "itemName" (found ${fields.filter((f) => f.itemName).map((f) => f.name).join(', ')}).`);
  }

  let avroType: avro.Type;
  try {
    avroType = avro.Type.forSchema(doc as avro.Schema);
  } catch (e) {
    fail(`avro rejected the schema: ${(e as Error).message}`);
  }
  if (!matchesAnyDatasetType(fields)) {
    fail(
      'the fields match no dataset type. Interactions need USER_ID, ITEM_ID and TIMESTAMP; Items need ITEM_ID; ' +
        'Users need USER_ID; Actions need ACTION_ID; Action interactions need USER_ID, ACTION_ID, EVENT_TYPE and TIMESTAMP.',
    );
  }
  return { recordName: d.name, fields, avroType };
}

function fieldType(name: string, t: unknown): { type: FieldType; nullable: boolean } {
  if (typeof t === 'string') {
    if (!ALLOWED.has(t)) fail(`field "${name}" has type ${JSON.stringify(t)}; allowed: ${[...ALLOWED].join(', ')} (or a union with "null").`);
    return { type: t as FieldType, nullable: false };
  }
  if (Array.isArray(t) && t.length === 2 && t.includes('null')) {
    const other = t.find((x) => x !== 'null');
    if (typeof other === 'string' && ALLOWED.has(other)) return { type: other as FieldType, nullable: true };
  }
  fail(
    `field "${name}" has type ${JSON.stringify(t)}; Personalize schemas are flat: use one of ${[...ALLOWED].join(', ')}, ` +
      'or a union with "null" such as ["null","string"] (no records, arrays, maps or enums).',
  );
}

interface Rule { required: Record<string, FieldType[]>; reserved: Record<string, FieldType[]>; maxMetadata?: number; needsMetadata: boolean; textualAllowed: boolean }

const RULES: Record<DatasetType, Rule> = {
  INTERACTIONS: {
    required: { USER_ID: ['string'], ITEM_ID: ['string'], TIMESTAMP: ['long'] },
    reserved: { EVENT_TYPE: ['string'], EVENT_VALUE: ['float', 'double'], IMPRESSION: ['string'], RECOMMENDATION_ID: ['string'], EVENT_ATTRIBUTION_SOURCE: ['string'] },
    maxMetadata: 5,
    needsMetadata: false,
    textualAllowed: false,
  },
  ITEMS: { required: { ITEM_ID: ['string'] }, reserved: { CREATION_TIMESTAMP: ['long'] }, maxMetadata: 100, needsMetadata: true, textualAllowed: true },
  USERS: { required: { USER_ID: ['string'] }, reserved: {}, maxMetadata: 25, needsMetadata: true, textualAllowed: false },
  ACTIONS: {
    required: { ACTION_ID: ['string'] },
    reserved: { CREATION_TIMESTAMP: ['long'], VALUE: ['long'], TYPE: ['string'], EXPIRATION_TIMESTAMP: ['long'], REPEAT_FREQUENCY: ['long'] },
    maxMetadata: 10,
    needsMetadata: true,
    textualAllowed: false,
  },
  ACTION_INTERACTIONS: {
    required: { USER_ID: ['string'], ACTION_ID: ['string'], EVENT_TYPE: ['string'], TIMESTAMP: ['long'] },
    reserved: { IMPRESSION: ['string'], RECOMMENDATION_ID: ['string'] },
    needsMetadata: false,
    textualAllowed: false,
  },
};

function matchesAnyDatasetType(fields: FieldSpec[]): boolean {
  const names = new Set(fields.map((f) => f.name));
  return (Object.values(RULES) as Rule[]).some((r) => Object.keys(r.required).every((n) => names.has(n)));
}

/** Extra required fields of the domain dataset groups' datasets (reference §3.3). */
const DOMAIN_REQUIRED: Record<string, Partial<Record<DatasetType, Record<string, FieldType[]>>>> = {
  ECOMMERCE: { INTERACTIONS: { EVENT_TYPE: ['string'] }, ITEMS: { PRICE: ['float', 'double'], CATEGORY_L1: ['string'] } },
  VIDEO_ON_DEMAND: { INTERACTIONS: { EVENT_TYPE: ['string'] }, ITEMS: { GENRES: ['string'], CREATION_TIMESTAMP: ['long'] } },
};

/** Check that a schema fits a dataset type (and the dataset group's domain); throws InvalidInputException. */
export function checkSchemaForDataset(schema: ParsedSchema, datasetType: DatasetType, domain?: string): void {
  const rule = RULES[datasetType];
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const what = `for a dataset of type ${datasetType}`;
  const required = { ...rule.required, ...(domain ? DOMAIN_REQUIRED[domain]?.[datasetType] : undefined) };
  const missing = Object.keys(required).filter((n) => !byName.has(n));
  if (missing.length) fail(`${what} the schema must have the field(s) ${missing.join(', ')}.`);
  for (const [n, types] of Object.entries(required)) {
    const f = byName.get(n)!;
    if (!types.includes(f.type) || f.nullable) fail(`${what} field ${n} must be of type ${types.join(' or ')} and not nullable.`);
  }
  for (const [n, types] of Object.entries(rule.reserved)) {
    const f = byName.get(n);
    if (f && !types.includes(f.type)) fail(`${what} the reserved field ${n} must be of type ${types.join(' or ')} (found ${f.type}).`);
  }
  const ev = byName.get('EVENT_TYPE');
  if (ev?.categorical) fail('EVENT_TYPE is a reserved plain string and must not be marked "categorical".');
  const reservedNames = new Set([...Object.keys(rule.required), ...Object.keys(rule.reserved)]);
  const metadata = schema.fields.filter((f) => !reservedNames.has(f.name));
  if (rule.needsMetadata && metadata.length === 0) {
    fail(`${what} the schema needs at least one metadata field besides ${Object.keys(rule.required).join(', ')}.`);
  }
  if (rule.maxMetadata !== undefined && metadata.length > rule.maxMetadata) {
    fail(`${what} at most ${rule.maxMetadata} metadata fields are allowed (found ${metadata.length}).`);
  }
  const textual = schema.fields.filter((f) => f.textual);
  if (textual.length && !rule.textualAllowed) fail(`${what} textual fields are not allowed (found ${textual[0]!.name}); only Items may have one.`);
  const named = schema.fields.find((f) => f.itemName);
  if (named && datasetType !== 'ITEMS') fail(`${what} "itemName" is not allowed (found on ${named.name}); only an Items schema marks its title field.`);
  if (datasetType === 'INTERACTIONS' && byName.has('EVENT_TYPE')) {
    const extra = metadata.length + 1; // event types counted at import; columns counted here
    if (extra > 10) fail(`${what} at most 10 optional columns including EVENT_TYPE are allowed (found ${extra}).`);
  }
}

/** Map the API's case-insensitive datasetType (Interactions, ITEMS, Action_Interactions...) to ours. */
export function normalizeDatasetType(t: string): DatasetType {
  const u = t.toUpperCase();
  if (u === 'INTERACTIONS' || u === 'ITEMS' || u === 'USERS' || u === 'ACTIONS' || u === 'ACTION_INTERACTIONS') return u;
  throw new InvalidInputException(
    `datasetType "${t}" is not valid; use one of Interactions, Items, Users, Actions, Action_Interactions.`,
  );
}
