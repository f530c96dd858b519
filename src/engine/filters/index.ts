// Amazon Personalize's filter language: compileFilter() checks an expression as CreateFilter does and
// returns a CompiledFilter whose apply() narrows a candidate mask per request.
//
// Semantics where the Personalize docs are silent (chosen here, tested in test/filters.test.ts):
// - Keywords, targets, dataset names, the EVENT_TYPE field name and event-type values are case-insensitive;
//   other field names and values match exactly.
// - AND binds tighter than OR: `a AND b OR c` = (a AND b) OR c.
// - Multi-valued fields (`a|b`): IN and = hold if ANY value is listed; NOT IN and != hold if NO value is.
//   So missing metadata (no value / NaN) never satisfies IN, =, <, <=, >, >= and always satisfies NOT IN, !=.
//   Interactions.EVENT_TYPE behaves as a multi-valued field of each item: the event types the user had with it
//   (within the newest 100 per event type; 300 for Action_Interactions), so NOT IN also matches unseen items.
// - `*` (or "*") as an event type means any event type.
// - An expression whose IF is false, or an EXCLUDE expression with a missing placeholder value, is dropped from
//   the chain as if not written; an IF on an unknown user or attribute is false (true for NOT IN / !=).
// - A missing current item (no itemId, or not a candidate) is a missing value for CurrentItem.X.
// - An empty filterValues string counts as not supplied. A bare number is accepted anywhere (as that text
//   for string fields); numeric uses accept a quoted number too. `=` with several values means "any of".
// - Placeholders are refused with != as well as NOT IN (both are "no value matches").
// - The 10-field limit counts CurrentItem.X as Items.X and CurrentUser.X as Users.X.
// - Compile errors say `Invalid filter expression: <rule> at position N.` with N a 0-based character offset.
import { InvalidInputException } from '../errors.js';
import { checkFilter } from './check.js';
import { CompiledFilterImpl } from './compiled.js';
import { parseFilter } from './parser.js';
import type { CompiledFilter, FilterOptions, FilterSchemaInfo } from './types.js';

export type {
  CompiledFilter, EventTypeDictionary, FilterColumn, FilterContext, FilterFieldType, FilterOptions, FilterRequest,
  FilterSchemaField, FilterSchemaInfo,
} from './types.js';
export { FILTER_ACTION_INTERACTIONS_WINDOW, FILTER_INTERACTIONS_WINDOW } from './compiled.js';
export { MAX_FIELDS_PER_FILTER } from './check.js';
export { MAX_FILTER_VALUES, MAX_FILTER_VALUE_LENGTH, parseFilterValue, validateFilterValues } from './values.js';

export const MAX_FILTER_EXPRESSION_LENGTH = 2500;

/** Parse and check a filter expression as CreateFilter does; throws InvalidInputException. */
export function compileFilter(expression: string, info: FilterSchemaInfo = {}, options: FilterOptions = {}): CompiledFilter {
  if (typeof expression !== 'string' || expression.trim().length === 0) {
    throw new InvalidInputException('Invalid filter expression: the expression is empty.');
  }
  if (expression.length > MAX_FILTER_EXPRESSION_LENGTH) {
    throw new InvalidInputException(
      `Invalid filter expression: it is ${expression.length} characters long; the maximum is ${MAX_FILTER_EXPRESSION_LENGTH}.`,
    );
  }
  const parsed = parseFilter(expression);
  return new CompiledFilterImpl(expression, parsed, checkFilter(parsed, info), options);
}
