// What an import will build from a CSV header and a schema: header checks (Personalize's messages),
// the per-field plan, and how each field's avsc type is checked (fast path or value by value).
import type { ImportIssue, ParsedSchema } from '../types.js';
import type { FieldPlan, StrictCheck } from './columns.js';

const ID_FIELDS = new Set(['USER_ID', 'ITEM_ID', 'ACTION_ID']);
const ID_MAX_CHARS = 256;
const CATEGORICAL_MAX_CHARS = 1000;
const TEXTUAL_MAX_CHARS = 20000;

/** An issue located Zod-style: where in the fields (callers print "file line N, column C: message"), what in the message. */
export function issueAt(file: string, line: number, column: string | undefined, what: string): ImportIssue {
  return column === undefined ? { file, line, message: what } : { file, line, column, message: what };
}

/** An issue as a failureReason shows it: "file line N, column C: message" (no line for a whole-file issue). */
export function formatIssue(i: ImportIssue): string {
  const where = `${i.file}${i.line > 0 ? ` line ${i.line}` : ''}${i.column ? `, column ${i.column}` : ''}`;
  return where ? `${where}: ${i.message}` : i.message;
}

/** Checks one file's header against the schema; returns the CSV column of each schema field (-1: absent). */
export function matchHeader(names: string[], schema: ParsedSchema, file: string, line: number):
  { csvIndex: number[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const fieldNames = schema.fields.map((f) => f.name);
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (seen.has(name)) {
      issues.push(issueAt(file, line, undefined, `column "${name}" appears more than once in the header; keep one`));
    } else seen.set(name, i);
  });
  const missing = schema.fields.filter((f) => !f.nullable && !seen.has(f.name)).map((f) => f.name);
  if (missing.length) {
    issues.push(issueAt(file, line, undefined, `Input CSV is missing the following columns: [${missing.join(', ')}]`));
  }
  for (const name of seen.keys()) {
    if (!fieldNames.includes(name)) {
      issues.push(issueAt(file, line, undefined, `column "${name}" is not a field of the schema ` +
        `(${schema.recordName}: ${fieldNames.join(', ')}); remove the column or add the field to the schema`));
    }
  }
  return { csvIndex: schema.fields.map((f) => seen.get(f.name) ?? -1), issues };
}

/** How avsc judges values of one field: `known` when the fast path implements exactly the same check. */
export interface AvscField extends StrictCheck { known: boolean; acceptsNull: boolean }

interface AvscTypeLike {
  typeName: string;
  types?: AvscTypeLike[];
  branchName?: string;
  isValid(v: unknown): boolean;
  schema(): unknown;
}

export function avscFields(schema: ParsedSchema): AvscField[] {
  const record = schema.avroType as unknown as { fields: Array<{ name: string; type: AvscTypeLike }> };
  return schema.fields.map((spec) => {
    const type = record.fields.find((f) => f.name === spec.name)?.type;
    if (!type) throw new Error(`schema field ${spec.name} has no avsc type`);
    let base: AvscTypeLike | undefined = type;
    let isValid = (v: unknown) => type.isValid(v);
    if (type.typeName.startsWith('union')) {
      const branches = (type.types ?? []).filter((t) => t.typeName !== 'null');
      base = branches.length === 1 ? branches[0] : undefined;
      if (type.typeName === 'union:wrapped' && base) {
        const branch = base.branchName ?? base.typeName;
        isValid = (v) => type.isValid(v === null ? null : { [branch]: v });
      }
    }
    // avsc's checks for these primitives (int: v === (v|0); long: integer with |v| <= 2^53-2; float and
    // double: any number; string; boolean) are the ones csv-columns applies to every value.
    const known = base !== undefined && base.typeName === spec.type;
    return { known, acceptsNull: isValid(null), isValid, describe: JSON.stringify(type.schema()) };
  });
}

export function buildPlans(schema: ParsedSchema, csvIndex: number[], avsc: AvscField[]): FieldPlan[] {
  return schema.fields.map((f, i) => ({
    name: f.name,
    kind: f.type,
    csvIndex: csvIndex[i],
    nullable: f.nullable && avsc[i].acceptsNull,
    maxChars: f.type !== 'string' ? 0 : ID_FIELDS.has(f.name) ? ID_MAX_CHARS
      : f.categorical || f.name === 'IMPRESSION' ? CATEGORICAL_MAX_CHARS : 0,
    truncateChars: f.type === 'string' && f.textual ? TEXTUAL_MAX_CHARS : 0,
  }));
}
