// What CreateFilter refuses (each error names its rule and 0-based position) and how runtime filterValues
// are parsed and limited.
import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilterValue, validateFilterValues, type FilterSchemaInfo } from '../src/engine/filters/index.js';

const field = (name: string, type: 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean', textual = false) =>
  ({ name, type, categorical: type === 'string' && !textual, textual });
const INFO: FilterSchemaInfo = {
  items: [field('GENRES', 'string'), field('PRICE', 'float'), field('CREATION_TIMESTAMP', 'long'), field('DESCRIPTION', 'string', true), field('IS_NEW', 'boolean')],
  users: [field('AGE', 'int'), field('MEMBERSHIP', 'string')],
  actions: [field('VALUE', 'double'), field('EXPIRATION_TIMESTAMP', 'long'), field('REPEAT_FREQUENCY', 'int')],
  interactions: { hasEventType: true },
  actionInteractions: { hasEventType: true },
};

function rejects(expr: string, message: RegExp | string, info: FilterSchemaInfo = INFO) {
  let err: unknown;
  try { compileFilter(expr, info); } catch (e) { err = e; }
  expect(err, `expected "${expr}" to be refused`).toMatchObject({ name: 'InvalidInputException' });
  expect((err as Error).message).toMatch(message);
}

describe('syntax errors name what was expected and where', () => {
  it.each([
    ['EXCLUDE ItemID WHERE Items.GENRES "x"', 'expected IN, NOT IN or a comparison after Items.GENRES, found "x" at position 34'],
    ['KEEP ItemID WHERE Items.GENRES IN ("x")', 'expected INCLUDE or EXCLUDE, found \'KEEP\' at position 0'],
    ['INCLUDE Items WHERE Items.GENRES IN ("x")', 'expected ItemID, UserID or ActionID after INCLUDE, found \'Items\' at position 8'],
    ['INCLUDE ItemID Items.GENRES IN ("x")', 'expected WHERE after ItemID, found \'Items\' at position 15'],
    ['INCLUDE ItemID WHERE GENRES IN ("x")', 'expected a field such as Items.GENRES (dataset.FIELD), found \'GENRES\' at position 21'],
    ['INCLUDE ItemID WHERE Items.GENRES NOT ("x")', 'expected IN after NOT, found \'(\' at position 38'],
    ['INCLUDE ItemID WHERE Items.GENRES IN "x"', 'expected ( after IN, found "x" at position 37'],
    ['INCLUDE ItemID WHERE Items.GENRES IN ()', 'empty IN list at position 38'],
    ['INCLUDE ItemID WHERE Items.GENRES IN ("a" "b")', 'expected , or ) in the IN list, found "b" at position 42'],
    ['INCLUDE ItemID WHERE Items.GENRES IN ("a", 3)', 'expected a double-quoted value after a comma, found \'3\' at position 43'],
    ['INCLUDE ItemID WHERE Items.GENRES IN ("a", $G)', 'a placeholder must be the only value of an IN list at position 43'],
    ['INCLUDE ItemID WHERE Items.GENRES IN ("a)', 'unterminated string (a closing " is missing) at position 38'],
    ['INCLUDE ItemID WHERE Items.PRICE > # 3', "unexpected character '#' at position 35"],
    ['INCLUDE ItemID WHERE Items.PRICE > ', 'expected a number, a "string", a $PLACEHOLDER or CurrentItem.FIELD after >, found the end of the expression at position 35'],
    ['INCLUDE ItemID WHERE Items.PRICE > 3 Items.PRICE < 9', 'expected AND, OR, IF, | or the end of the filter, found \'Items\' at position 37'],
    ['INCLUDE ItemID WHERE Items.PRICE > 3 |', 'expected INCLUDE or EXCLUDE, found the end of the expression at position 38'],
    ['INCLUDE ItemID WHERE Items.PRICE > $', 'expected a placeholder name (letters, digits, _) after $ at position 35'],
  ])('%s', (expr, message) => rejects(expr, message));

  it('refuses an empty or overlong expression', () => {
    rejects('', /empty/);
    rejects('   ', /empty/);
    rejects(`INCLUDE ItemID WHERE Items.GENRES IN (${Array(300).fill('"comedy"').join(',')})`, /maximum is 2500/);
  });
});

describe('CreateFilter rules', () => {
  it.each([
    ['unknown dataset', 'INCLUDE ItemID WHERE Item.GENRES IN ("x")', /unknown dataset Item .* at position 21/],
    ['unknown field', 'INCLUDE ItemID WHERE Items.GENRE IN ("x")', /unknown field Items.GENRE: the Items schema has no field GENRE .* at position 21/],
    ['field names are case-sensitive', 'INCLUDE ItemID WHERE Items.genres IN ("x")', /unknown field Items.genres/],
    ['unknown user field in IF', 'INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.HEIGHT > 2', /unknown field CurrentUser.HEIGHT: the Users schema/],
    ['textual field', 'INCLUDE ItemID WHERE Items.DESCRIPTION IN ("x")', /textual field Items.DESCRIPTION can't be used in filters at position 21/],
    ['boolean field', 'INCLUDE ItemID WHERE Items.IS_NEW IN ("True")', /boolean field Items.IS_NEW can't be used/],
    ['placeholder with NOT IN', 'INCLUDE ItemID WHERE Items.GENRES NOT IN ($G)', /placeholders can't be used with NOT IN; use IN .* opposite action .* at position 42/],
    ['placeholder with !=', 'EXCLUDE ItemID WHERE Items.PRICE != $P', /placeholders can't be used with !=/],
    ['other interaction columns', 'EXCLUDE ItemID WHERE Interactions.EVENT_VALUE > 3', /only EVENT_TYPE can be used from Interactions, not EVENT_VALUE .* at position 21/],
    ['mixing Items and Interactions', 'EXCLUDE ItemID WHERE Items.GENRES IN ("x") AND Interactions.EVENT_TYPE IN ("click")', /can't mix Items and Interactions .* chain a second expression with \| at position 47/],
    ['mixing Interactions then Items', 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") OR Items.GENRES IN ("x")', /dataset of the first condition \(Interactions\)/],
    ['mixing Actions and Action_Interactions', 'EXCLUDE ActionID WHERE Actions.VALUE > 3 AND Action_Interactions.EVENT_TYPE IN ("TAKEN")', /can't mix Actions and Action_Interactions/],
    ['CurrentUser outside IF', 'INCLUDE ItemID WHERE CurrentUser.AGE > 18', /CurrentUser can only be used in an IF clause .* at position 21/],
    ['IF twice', 'INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.AGE > 18 IF CurrentUser.AGE < 60', /IF can appear only once, at the end of an expression at position 61/],
    ['OR in IF', 'INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.AGE > 18 OR CurrentUser.AGE < 9', /only AND can join the conditions of an IF clause at position 61/],
    ['item condition in IF', 'INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.AGE > 18 AND Items.PRICE < 9', /IF conditions can only test CurrentUser fields .* at position 65/],
    ['IF in a segment filter', 'INCLUDE UserID WHERE Users.AGE > 1 IF CurrentUser.AGE > 18', /UserID filters/],
    ['CurrentItem for UserID', 'INCLUDE UserID WHERE Users.AGE > CurrentItem.PRICE', /CurrentItem can only be used in ItemID filters/],
    ['CurrentItem as a field', 'INCLUDE ItemID WHERE CurrentItem.PRICE > 3', /CurrentItem can only be used as a value/],
    ['CurrentItem against interactions', 'INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN CurrentItem.GENRES', /CurrentItem can only be compared with Items fields/],
    ['another field as a value', 'INCLUDE ItemID WHERE Items.PRICE < Items.CREATION_TIMESTAMP', /Items.CREATION_TIMESTAMP can't be used as a value/],
    ['CurrentItem of another type', 'INCLUDE ItemID WHERE Items.PRICE < CurrentItem.GENRES', /must both be numeric or both be strings/],
    ['ItemID with Users', 'INCLUDE ItemID WHERE Users.AGE > 3', /ItemID filters can only use Items and Interactions fields, not Users at position 21/],
    ['UserID with Items', 'INCLUDE UserID WHERE Items.GENRES IN ("x")', /UserID filters can only use Users and Interactions fields, not Items/],
    ['ActionID with Interactions', 'INCLUDE ActionID WHERE Interactions.EVENT_TYPE IN ("x")', /ActionID filters can only use Actions and Action_Interactions fields/],
    ['ItemID with Action_Interactions', 'INCLUDE ItemID WHERE Action_Interactions.EVENT_TYPE IN ("x")', /ItemID filters can only use Items and Interactions/],
    ['mixed targets in a chain', 'INCLUDE ItemID WHERE Items.PRICE > 1 | EXCLUDE UserID WHERE Users.AGE < 3', /same target \(ItemID before, UserID here\) at position 47/],
    ['comparison on a string field', 'INCLUDE ItemID WHERE Items.GENRES > 3', /> needs a numeric field, but Items.GENRES is a string; use IN or = at position 34/],
    ['comparison with a string', 'INCLUDE ItemID WHERE Items.PRICE > "cheap"', /> needs a number, not "cheap"/],
    ['IN on a numeric field', 'INCLUDE ItemID WHERE Items.PRICE IN ("5")', /IN needs a categorical \(string\) field, but Items.PRICE is numeric/],
    ['EVENT_TYPE compared', 'INCLUDE ItemID WHERE Interactions.EVENT_TYPE > 3', /> needs a numeric field/],
    ['* outside EVENT_TYPE', 'INCLUDE ItemID WHERE Items.GENRES IN (*)', /\* \(any event type\) can only be used with EVENT_TYPE at position 38/],
    ['automatic action fields', 'EXCLUDE ActionID WHERE Actions.EXPIRATION_TIMESTAMP < 5', /Actions.EXPIRATION_TIMESTAMP can't be used in filters/],
    ['REPEAT_FREQUENCY', 'EXCLUDE ActionID WHERE Actions.REPEAT_FREQUENCY < 5', /REPEAT_FREQUENCY can't be used/],
  ])('%s', (_rule, expr, message) => rejects(expr, message));

  it('refuses EVENT_TYPE when the interactions schema has none', () => {
    rejects('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")', /the Interactions dataset has no EVENT_TYPE field/, { interactions: { hasEventType: false } });
  });

  it('allows at most 10 distinct fields per filter, across the chain', () => {
    const fields = Array.from({ length: 11 }, (_, i) => ({ name: `F${i}`, type: 'string' as const, categorical: true, textual: false }));
    const cond = (i: number) => `Items.F${i} IN ("x")`;
    const ten = `INCLUDE ItemID WHERE ${[0, 1, 2, 3, 4].map(cond).join(' AND ')} | EXCLUDE ItemID WHERE ${[5, 6, 7, 8, 9, 0].map(cond).join(' OR ')}`;
    expect(compileFilter(ten, { items: fields }).fields).toHaveLength(10);
    rejects(`${ten} | EXCLUDE ItemID WHERE Items.F10 IN ("x")`, /at most 10 distinct dataset fields \(Items.F10 is the 11th\)/, { items: fields });
  });
});

describe('filterValues', () => {
  it.each([
    ['"comedy"', ['comedy']],
    ['"comedy","drama","horror"', ['comedy', 'drama', 'horror']],
    [' "comedy" ,  "drama" ', ['comedy', 'drama']],
    ['"a,b","c|d"', ['a,b', 'c|d']],
    ['"say \\"hi\\"","back\\\\slash"', ['say "hi"', 'back\\slash']],
    ['""', ['']],
    ['10', ['10']],
    [' -2.5 ', ['-2.5']],
  ])('parses %s', (raw, expected) => {
    expect(parseFilterValue('G', raw)).toEqual(expected);
  });
  it('an empty value counts as not supplied', () => {
    expect(parseFilterValue('G', '')).toBeNull();
    expect(parseFilterValue('G', '  ')).toBeNull();
  });
  it.each([
    ['comedy', 0], ['"a" "b"', 4], ['"a",', 4], ['"a', 2], ['"a",,"b"', 4], ["'a'", 0], ['"a"x', 3],
  ])('refuses %s, saying where', (raw, at) => {
    expect(() => parseFilterValue('GENRES', raw)).toThrow(expect.objectContaining({
      name: 'InvalidInputException',
      message: expect.stringContaining(`value for GENRES is malformed at character ${at}`),
    }));
  });
  it('limits the map: 25 entries, [A-Za-z0-9_]+ keys, values up to 1000 characters', () => {
    const map = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`K${i}`, '"x"']));
    expect(() => validateFilterValues(map(25))).not.toThrow();
    expect(() => validateFilterValues(map(26))).toThrow(/26 entries; at most 25/);
    expect(() => validateFilterValues({ $GENRE: '"x"' })).toThrow(/key "\$GENRE" must match/);
    expect(() => validateFilterValues({ 'MY-KEY': '"x"' })).toThrow(/must match/);
    expect(() => validateFilterValues({ G: `"${'x'.repeat(998)}"` })).not.toThrow();
    expect(() => validateFilterValues({ G: `"${'x'.repeat(999)}"` })).toThrow(/longer than 1000/);
  });
  it('apply() checks the map and the values of the placeholders it uses', () => {
    const f = compileFilter('EXCLUDE ItemID WHERE Items.GENRES IN ($G)', INFO);
    const ctx = { candidateCount: 0, column: () => undefined, currentUser: () => null, userInteractions: () => ({ candidates: new Int32Array(0), eventTypeCodes: new Int32Array(0), eventTypeNames: [] }) };
    expect(() => f.apply(ctx, { filterValues: { G: 'comedy' } }, new Uint8Array(0))).toThrow(/malformed/);
    expect(() => f.apply(ctx, { filterValues: { 'bad key': '"x"' } }, new Uint8Array(0))).toThrow(/must match/);
    expect(() => f.apply(ctx, { filterValues: { G: '"x"' } }, new Uint8Array(0))).not.toThrow();
  });
});
