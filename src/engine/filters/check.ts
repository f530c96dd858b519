// CreateFilter's rules beyond the grammar: which datasets a target may use, what may be mixed, which
// fields and operators meet, and the 10-field limit. Each failure names its rule and position.
import { filterError } from './lexer.js';
import type { Condition, Dataset, Expression, Target } from './parser.js';
import type { FilterSchemaField, FilterSchemaInfo } from './types.js';

export const MAX_FIELDS_PER_FILTER = 10;

export interface FilterSummary {
  target: Target;
  placeholders: string[];
  fields: string[];
  usesCurrentItem: boolean;
  usesCurrentUser: boolean;
}

const TARGET_DATASETS: Record<Target, Dataset[]> = {
  ItemID: ['Items', 'Interactions'],
  UserID: ['Users', 'Interactions'],
  ActionID: ['Actions', 'Action_Interactions'],
};
const NUMERIC = new Set(['int', 'long', 'float', 'double']);
const NUMBER_TEXT = /^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$/;
// Personalize applies these itself when recommending actions; they are not filterable.
const AUTOMATIC_ACTION_FIELDS = new Set(['EXPIRATION_TIMESTAMP', 'REPEAT_FREQUENCY']);

const isInteractions = (d: Dataset) => d === 'Interactions' || d === 'Action_Interactions';
const isComparison = (op: string) => op === '<' || op === '<=' || op === '>' || op === '>=';

export function checkFilter(exprs: Expression[], info: FilterSchemaInfo): FilterSummary {
  const target = exprs[0].target;
  const placeholders: string[] = [];
  const fields: string[] = [];
  let usesCurrentItem = false;
  let usesCurrentUser = false;
  const useField = (dataset: Dataset, attr: string, pos: number) => {
    const ds = dataset === 'CurrentItem' ? 'Items' : dataset === 'CurrentUser' ? 'Users' : dataset;
    const name = `${ds}.${attr}`;
    if (fields.includes(name)) return;
    if (fields.length === MAX_FIELDS_PER_FILTER) {
      throw filterError(`a filter can use at most ${MAX_FIELDS_PER_FILTER} distinct dataset fields (${name} is the ${MAX_FIELDS_PER_FILTER + 1}th)`, pos);
    }
    fields.push(name);
  };

  for (const e of exprs) {
    if (e.target !== target) {
      throw filterError(`all expressions of a filter must use the same target (${target} before, ${e.target} here)`, e.targetPos);
    }
    const allowed = TARGET_DATASETS[target];
    let first: Dataset | undefined;
    for (const c of e.conditions) {
      const f = c.field;
      if (f.dataset === 'CurrentUser') throw filterError('CurrentUser can only be used in an IF clause at the end of the expression (IF CurrentUser.AGE > 18)', f.pos);
      if (f.dataset === 'CurrentItem') throw filterError('CurrentItem can only be used as a value (Items.GENRE IN CurrentItem.GENRE)', f.pos);
      if (!allowed.includes(f.dataset)) {
        throw filterError(`${target} filters can only use ${allowed.join(' and ')} fields, not ${f.dataset}`, f.pos);
      }
      if (first === undefined) first = f.dataset;
      else if (f.dataset !== first) {
        throw filterError(
          `can't mix ${first} and ${f.dataset} fields in one expression: conditions joined by AND/OR must use the dataset of the first condition (${first}); chain a second expression with |`,
          f.pos,
        );
      }
      checkCondition(c, target, info, false);
    }
    for (const c of e.ifConditions) {
      if (c.field.dataset !== 'CurrentUser') {
        throw filterError(`IF conditions can only test CurrentUser fields (IF CurrentUser.AGE > 18); move ${c.field.text} before IF`, c.field.pos);
      }
      if (target === 'UserID') throw filterError('IF CurrentUser can\'t be used in UserID filters: a user segment has no current user', c.field.pos);
      checkCondition(c, target, info, true);
      usesCurrentUser = true;
    }
    for (const c of [...e.conditions, ...e.ifConditions]) {
      useField(c.field.dataset, c.field.attr, c.field.pos);
      const o = c.operand;
      if (o.kind === 'currentItem') { usesCurrentItem = true; useField('CurrentItem', o.attr, o.pos); }
      if (o.kind === 'placeholder' && !placeholders.includes(o.name)) placeholders.push(o.name);
    }
  }
  return { target, placeholders, fields, usesCurrentItem, usesCurrentUser };
}

function schemaOf(d: Dataset, info: FilterSchemaInfo): FilterSchemaField[] | undefined {
  if (d === 'Items' || d === 'CurrentItem') return info.items;
  if (d === 'Users' || d === 'CurrentUser') return info.users;
  if (d === 'Actions') return info.actions;
  return undefined;
}

/** The field's type from the schema: 'numeric' | 'string', or undefined when the schema is not known. */
function fieldKind(d: Dataset, attr: string, text: string, pos: number, info: FilterSchemaInfo): 'numeric' | 'string' | undefined {
  if (d === 'Actions' && AUTOMATIC_ACTION_FIELDS.has(attr)) {
    throw filterError(`${text} can't be used in filters: Personalize applies it automatically`, pos);
  }
  const schema = schemaOf(d, info);
  if (!schema) return undefined;
  const ds = d === 'CurrentItem' ? 'Items' : d === 'CurrentUser' ? 'Users' : d;
  const f = schema.find((x) => x.name === attr);
  if (!f) throw filterError(`unknown field ${text}: the ${ds} schema has no field ${attr} (field names are case-sensitive)`, pos);
  if (f.textual) throw filterError(`textual field ${text} can't be used in filters`, pos);
  if (f.type === 'boolean') throw filterError(`boolean field ${text} can't be used in filters`, pos);
  return NUMERIC.has(f.type) ? 'numeric' : 'string';
}

function checkCondition(c: Condition, target: Target, info: FilterSchemaInfo, inIf: boolean): void {
  const { field: f, op, operand: o } = c;
  let kind: 'numeric' | 'string' | undefined;
  if (isInteractions(f.dataset)) {
    if (f.attr !== 'EVENT_TYPE') {
      throw filterError(`only EVENT_TYPE can be used from ${f.dataset}, not ${f.attr} (filters can't use other interaction columns)`, f.pos);
    }
    const ds = f.dataset === 'Interactions' ? info.interactions : info.actionInteractions;
    if (ds && !ds.hasEventType) throw filterError(`the ${f.dataset} dataset has no EVENT_TYPE field`, f.pos);
    kind = 'string';
  } else {
    kind = fieldKind(f.dataset, f.attr, f.text, f.pos, info);
  }

  if (o.kind === 'any' && !isInteractions(f.dataset)) throw filterError('* (any event type) can only be used with EVENT_TYPE', o.pos);
  if (o.kind === 'placeholder' && (op === 'NOT IN' || op === '!=')) {
    throw filterError(`placeholders can't be used with ${op}; use IN or = with the opposite action (EXCLUDE instead of INCLUDE, or INCLUDE instead of EXCLUDE)`, o.pos);
  }
  if (kind === 'numeric' && (op === 'IN' || op === 'NOT IN')) {
    throw filterError(`${op} needs a categorical (string) field, but ${f.text} is numeric; use =, !=, <, <=, > or >=`, c.opPos);
  }
  if (isComparison(op)) {
    if (kind === 'string') throw filterError(`${op} needs a numeric field, but ${f.text} is a string; use IN or =`, c.opPos);
    if (o.kind === 'list' && !NUMBER_TEXT.test(o.values[0])) throw filterError(`${op} needs a number, not "${o.values[0]}"`, o.pos);
  }
  if (kind === 'numeric' && o.kind === 'list' && !NUMBER_TEXT.test(o.values[0])) {
    throw filterError(`${f.text} is numeric: compare it with a number, not "${o.values[0]}"`, o.pos);
  }
  if (o.kind === 'currentItem') {
    if (inIf) throw filterError('CurrentItem can\'t be used in an IF clause', o.pos);
    if (target !== 'ItemID') throw filterError('CurrentItem can only be used in ItemID filters (for related-items recipes)', o.pos);
    if (f.dataset !== 'Items') throw filterError(`CurrentItem can only be compared with Items fields, not ${f.text}`, o.pos);
    const other = fieldKind('CurrentItem', o.attr, o.text, o.pos, info);
    if (kind && other && kind !== other) throw filterError(`${f.text} and ${o.text} must both be numeric or both be strings`, o.pos);
    if (other === 'numeric' && (op === 'IN' || op === 'NOT IN')) throw filterError(`${op} needs a categorical (string) value, but ${o.text} is numeric; use = or a comparison`, o.pos);
    if (other === 'string' && isComparison(op)) throw filterError(`${op} needs a numeric value, but ${o.text} is a string`, o.pos);
  }
}
