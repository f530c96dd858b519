// Filter behaviour by example: each expression form on hand-made items, actions and users, with the
// exact set of candidates that survives. Compile errors and filterValues parsing: filters-errors.test.ts.
import { describe, expect, it } from 'vitest';
import { compileFilter, type FilterColumn, type FilterContext, type FilterRequest, type FilterSchemaInfo } from '../src/engine/filters/index.js';

function categorical(rows: (string | null)[]): FilterColumn {
  const dictionary: string[] = [];
  const ptr = [0];
  const codes: number[] = [];
  for (const r of rows) {
    for (const v of r === null ? [] : r.split('|')) {
      if (!dictionary.includes(v)) dictionary.push(v);
      codes.push(dictionary.indexOf(v));
    }
    ptr.push(codes.length);
  }
  return { kind: 'categorical', dictionary, ptr: Int32Array.from(ptr), codes: Int32Array.from(codes) };
}
const numeric = (xs: (number | null)[]): FilterColumn => ({ kind: 'numeric', values: Float64Array.from(xs, (x) => x ?? NaN) });

function dictionaryOf(types: string[]) {
  const eventTypeNames = [...new Set(types)];
  return { eventTypeNames, eventTypeCodes: Int32Array.from(types, (t) => eventTypeNames.indexOf(t)) };
}

function context(opts: {
  columns: Record<string, FilterColumn>;
  n: number;
  user?: Record<string, string[] | number>;
  history?: [candidate: number, eventType: string][];
  segments?: string[][];
}): FilterContext {
  const h = opts.history ?? [];
  const seg = opts.segments ?? [];
  return {
    candidateCount: opts.n,
    column: (name) => opts.columns[name],
    currentUser: (name) => opts.user?.[name] ?? null,
    userInteractions: () => ({ candidates: Int32Array.from(h, (e) => e[0]), ...dictionaryOf(h.map((e) => e[1])) }),
    candidateInteractions: () => {
      const ptr = [0];
      for (const s of seg) ptr.push(ptr[ptr.length - 1] + s.length);
      return { ptr: Int32Array.from(ptr), ...dictionaryOf(seg.flat()) };
    },
  };
}

const field = (name: string, type: 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean', extra: { categorical?: boolean; textual?: boolean } = {}) =>
  ({ name, type, categorical: extra.categorical ?? type === 'string', textual: extra.textual ?? false });
const INFO: FilterSchemaInfo = {
  items: [
    field('ITEM_ID', 'string', { categorical: false }), field('GENRES', 'string'), field('GENRE', 'string'), field('PRICE', 'float'),
    field('CREATION_TIMESTAMP', 'long'), field('CATEGORY_L1', 'string'), field('CATEGORY_L2', 'string'),
    field('DESCRIPTION', 'string', { categorical: false, textual: true }), field('IS_NEW', 'boolean'),
  ],
  users: [field('USER_ID', 'string', { categorical: false }), field('AGE', 'int'), field('MEMBERSHIP', 'string'), field('MEMBERSHIP_STATUS', 'string')],
  actions: [field('ACTION_ID', 'string', { categorical: false }), field('VALUE', 'double'), field('EXPIRATION_TIMESTAMP', 'long')],
  interactions: { hasEventType: true },
  actionInteractions: { hasEventType: true },
};

// Eight items. Item 4 has no genre, no category and no price.
const GENRES = categorical(['Comedy', 'Comedy|Drama', 'Drama', 'Horror', null, 'Comedy|Horror', 'Drama|Horror', 'Action']);
const ITEM_COLUMNS: Record<string, FilterColumn> = {
  GENRES,
  GENRE: GENRES,
  PRICE: numeric([5, 10, 15, 20, null, 25, 30, 8]),
  CREATION_TIMESTAMP: numeric([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]),
  CATEGORY_L1: categorical(['shoe', 'shoe', 'shoe', 'watch', 'watch', 'watch', 'bag', null]),
  CATEGORY_L2: categorical(['boot', 'sneaker', 'boot', 'luxury', 'sport', 'luxury', 'luxury', null]),
};
// The requesting user (AGE 25, gold) clicked 0, 1, 3; purchased 1 and 5 (once as "PURCHASE"); streamed 6.
// Candidate -1 is an item outside the candidate set.
const HISTORY: [number, string][] = [[0, 'click'], [1, 'click'], [1, 'purchase'], [3, 'click'], [5, 'PURCHASE'], [6, 'stream'], [-1, 'click']];
const USER = { AGE: 25, MEMBERSHIP: ['gold'] };
const items = (user: Record<string, string[] | number> | undefined = USER, history = HISTORY) => context({ columns: ITEM_COLUMNS, n: 8, user, history });

/** The candidates left after applying `expr` to a mask of all ones (or `mask`). */
function run(expr: string, ctx: FilterContext = items(), req: FilterRequest = {}, mask?: Uint8Array, info = INFO): number[] {
  const m = mask ?? new Uint8Array(ctx.candidateCount).fill(1);
  compileFilter(expr, info).apply(ctx, req, m);
  return [...m.keys()].filter((i) => m[i] === 1);
}
const fv = (filterValues: Record<string, string>, extra: FilterRequest = {}): FilterRequest => ({ filterValues, ...extra });
const ALL = [0, 1, 2, 3, 4, 5, 6, 7];

describe('the documented item examples (reference §5.4)', () => {
  it('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE) removes what the user purchased', () => {
    const e = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)';
    expect(run(e, items(), fv({ EVENT_TYPE: '"purchase"' }))).toEqual([0, 2, 3, 4, 6, 7]);
    expect(run(e, items(), fv({ EVENT_TYPE: '"purchase","stream"' }))).toEqual([0, 2, 3, 4, 7]);
  });
  it('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") keeps only what the user clicked', () => {
    expect(run('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")')).toEqual([0, 1, 3]);
  });
  it('EXCLUDE shoes that are not boots', () => {
    expect(run('EXCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("shoe") AND Items.CATEGORY_L2 NOT IN ("boot")')).toEqual([0, 2, 3, 4, 5, 6, 7]);
  });
  it('INCLUDE ItemID WHERE Items.PRICE <= $PRICE (item 4 has no price)', () => {
    expect(run('INCLUDE ItemID WHERE Items.PRICE <= $PRICE', items(), fv({ PRICE: '10' }))).toEqual([0, 1, 7]);
  });
  it('INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP > $DATE', () => {
    expect(run('INCLUDE ItemID WHERE Items.CREATION_TIMESTAMP > $DATE', items(), fv({ DATE: '5000' }))).toEqual([5, 6, 7]);
  });
  it('cheaper than the current item and sharing one of its genres', () => {
    const e = 'INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRE IN CurrentItem.GENRE';
    // Current item 6: Drama|Horror, 30.
    expect(run(e, items(), { currentItem: 6 })).toEqual([1, 2, 3, 5]);
    // Current item 1: Comedy|Drama, 10.
    expect(run(e, items(), { currentItem: 1 })).toEqual([0]);
  });
  it('EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE', () => {
    const e = 'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE';
    expect(run(e, items(), fv({ GENRE: '"Comedy"', AGE: '25' }))).toEqual([2, 3, 4, 6, 7]);
    expect(run(e, items(), fv({ GENRE: '"Comedy"', AGE: '"25"' }))).toEqual([2, 3, 4, 6, 7]);
    expect(run(e, items(), fv({ GENRE: '"Comedy"', AGE: '30' }))).toEqual(ALL);
  });
  it('luxury watches, only for adults', () => {
    const e = 'INCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("watch") AND Items.CATEGORY_L2 IN ("luxury") IF CurrentUser.AGE > 18';
    expect(run(e)).toEqual([3, 5]);
    expect(run(e, items({ AGE: 16 }))).toEqual(ALL);
    expect(run(e, items({}))).toEqual(ALL); // unknown age: the IF is false
  });
  it('INCLUDE a genre | EXCLUDE clicked or streamed', () => {
    const e = 'INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")';
    expect(run(e, items(), fv({ GENRE: '"Drama","Horror"' }))).toEqual([2, 5]);
  });
});

// Five actions with VALUE 1, 5, 10, (none), 20; the user took 0, did not take 1 (twice), viewed 2.
const ACTIONS = (user: Record<string, string[] | number> = USER) =>
  context({ columns: { VALUE: numeric([1, 5, 10, null, 20]) }, n: 5, user, history: [[0, 'TAKEN'], [1, 'NOT_TAKEN'], [2, 'VIEWED'], [1, 'NOT_TAKEN']] });

describe('the documented action examples', () => {
  it('INCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ($EVENT_TYPE)', () => {
    const e = 'INCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ($EVENT_TYPE)';
    expect(run(e, ACTIONS(), fv({ EVENT_TYPE: '"taken"' }))).toEqual([0]);
    expect(run(e, ACTIONS(), fv({ EVENT_TYPE: '"TAKEN", "VIEWED"' }))).toEqual([0, 2]);
  });
  it('EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")', () => {
    expect(run('EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")', ACTIONS())).toEqual([0, 2, 3, 4]);
  });
  it('INCLUDE ActionID WHERE Actions.VALUE > ($VALUE)', () => {
    expect(run('INCLUDE ActionID WHERE Actions.VALUE > ($VALUE)', ACTIONS(), fv({ VALUE: '5' }))).toEqual([2, 4]);
  });
  it('EXCLUDE ActionID WHERE Actions.VALUE < ($VALUE) IF CurrentUser.MEMBERSHIP = $PREMIUM', () => {
    const e = 'EXCLUDE ActionID WHERE Actions.VALUE < ($VALUE) IF CurrentUser.MEMBERSHIP = $PREMIUM';
    expect(run(e, ACTIONS(), fv({ VALUE: '6', PREMIUM: '"gold"' }))).toEqual([2, 3, 4]);
    expect(run(e, ACTIONS(), fv({ VALUE: '6', PREMIUM: '"silver"' }))).toEqual([0, 1, 2, 3, 4]);
  });
});

// Six candidate users for segments. User 3 has no membership and no age; user 2 has no interactions.
const USERS = context({
  n: 6,
  columns: { MEMBERSHIP_STATUS: categorical(['gold', 'silver', 'gold|platinum', null, 'bronze', 'silver']), AGE: numeric([30, 17, 45, null, 22, 15]) },
  segments: [['click', 'purchase'], ['click'], [], ['purchase'], ['stream'], ['Click']],
});

describe('the documented user-segment examples', () => {
  it('INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP)', () => {
    expect(run('INCLUDE UserID WHERE Users.MEMBERSHIP_STATUS IN ($MEMBERSHIP)', USERS, fv({ MEMBERSHIP: '"gold"' }))).toEqual([0, 2]);
  });
  it('EXCLUDE UserID WHERE Users.AGE < $AGE keeps users without an age', () => {
    expect(run('EXCLUDE UserID WHERE Users.AGE < $AGE', USERS, fv({ AGE: '21' }))).toEqual([0, 2, 3, 4]);
  });
  it('EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE) looks at each user\'s own events', () => {
    expect(run('EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)', USERS, fv({ EVENT_TYPE: '"click"' }))).toEqual([2, 3, 4]);
    expect(run('INCLUDE UserID WHERE Interactions.EVENT_TYPE IN (*)', USERS)).toEqual([0, 1, 3, 4, 5]);
  });
});

describe('multi-valued fields and missing values', () => {
  it('IN and = match if any value matches', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("Drama")')).toEqual([1, 2, 6]);
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("Drama", "Action")')).toEqual([1, 2, 6, 7]);
    expect(run('INCLUDE ItemID WHERE Items.GENRES = "Horror"')).toEqual([3, 5, 6]);
  });
  it('NOT IN and != match only if no value matches, so an item without genres matches', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES NOT IN ("Drama")')).toEqual([0, 3, 4, 5, 7]);
    expect(run('INCLUDE ItemID WHERE Items.GENRES != "Horror"')).toEqual([0, 1, 2, 4, 7]);
    expect(run('EXCLUDE ItemID WHERE Items.GENRES NOT IN ("Comedy", "Drama")')).toEqual([0, 1, 2, 5, 6]);
  });
  it('values are case-sensitive, and a value outside the dictionary matches nothing', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("drama")')).toEqual([]);
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("Western")')).toEqual([]);
  });
  it('sees values appended to a column dictionary after the first use (PutItems)', () => {
    const col = categorical(['Comedy', 'Drama']);
    const ctx = context({ columns: { GENRES: col }, n: 2 });
    const f = compileFilter('INCLUDE ItemID WHERE Items.GENRES IN ("Western")', INFO);
    const m = new Uint8Array([1, 1]);
    f.apply(ctx, {}, m);
    expect([...m]).toEqual([0, 0]);
    col.kind === 'categorical' && (col.dictionary.push('Western'), (col.codes[1] = 2));
    m.fill(1);
    f.apply(ctx, {}, m);
    expect([...m]).toEqual([0, 1]);
  });
});

describe('comparisons', () => {
  it.each([
    ['=', [2]], ['!=', [0, 1, 3, 4, 5, 6, 7]], ['<', [0, 1, 7]], ['<=', [0, 1, 2, 7]], ['>', [3, 5, 6]], ['>=', [2, 3, 5, 6]],
  ])('Items.PRICE %s 15 (no price only matches !=)', (op, expected) => {
    expect(run(`INCLUDE ItemID WHERE Items.PRICE ${op} 15`)).toEqual(expected);
  });
  it('decimals, negative numbers, (parenthesised) values and quoted numbers', () => {
    expect(run('INCLUDE ItemID WHERE Items.PRICE > 9.5')).toEqual([1, 2, 3, 5, 6]);
    expect(run('INCLUDE ItemID WHERE Items.PRICE > -1')).toEqual([0, 1, 2, 3, 5, 6, 7]);
    expect(run('INCLUDE ItemID WHERE Items.PRICE >= (25)')).toEqual([5, 6]);
    expect(run('INCLUDE ItemID WHERE Items.PRICE = "8"')).toEqual([7]);
  });
  it('numeric placeholders take a bare or a quoted number', () => {
    const e = 'INCLUDE ItemID WHERE Items.PRICE < $P';
    expect(run(e, items(), fv({ P: '10' }))).toEqual([0, 7]);
    expect(run(e, items(), fv({ P: '"10"' }))).toEqual([0, 7]);
    expect(run(e, items(), fv({ P: ' 1e1 ' }))).toEqual([0, 7]);
    expect(run('INCLUDE ItemID WHERE Items.PRICE = $P', items(), fv({ P: '"5","8"' }))).toEqual([0, 7]);
  });
  it('rejects a numeric placeholder that is not one number', () => {
    expect(() => run('INCLUDE ItemID WHERE Items.PRICE < $P', items(), fv({ P: '"cheap"' }))).toThrow(/\$?P must be a number/);
    expect(() => run('INCLUDE ItemID WHERE Items.PRICE < $P', items(), fv({ P: '"1","2"' }))).toThrow(/single number/);
  });
});

describe('placeholders', () => {
  it('an INCLUDE expression needs every value, naming the missing placeholder', () => {
    const e = 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)';
    expect(() => run(e)).toThrow(expect.objectContaining({ name: 'InvalidInputException', message: expect.stringContaining('$GENRE') }));
    expect(() => run(e, items(), fv({ OTHER: '"x"' }))).toThrow(/\$GENRE/);
    // Also when the INCLUDE comes after an EXCLUDE in the chain, and for IF placeholders.
    expect(() => run(`EXCLUDE ItemID WHERE Items.PRICE > 1 | ${e}`, items(), fv({}))).toThrow(/\$GENRE/);
    expect(() => run('INCLUDE ItemID WHERE Items.PRICE > 1 IF CurrentUser.AGE = $AGE')).toThrow(/\$AGE/);
  });
  it('an EXCLUDE expression without its value is switched off (also for an empty value)', () => {
    const e = 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRE)';
    expect(run(e)).toEqual(ALL);
    expect(run(e, items(), fv({ GENRE: '' }))).toEqual(ALL);
    expect(run(`${e} | EXCLUDE ItemID WHERE Items.PRICE > 20`)).toEqual([0, 1, 2, 3, 4, 7]);
    expect(run(`${e} | INCLUDE ItemID WHERE Items.PRICE > 20`)).toEqual([5, 6]);
  });
  it('one placeholder can serve several conditions', () => {
    const e = 'INCLUDE ItemID WHERE Items.GENRES IN ($G) OR Items.CATEGORY_L1 IN ($G)';
    expect(run(e, items(), fv({ G: '"Action","bag"' }))).toEqual([6, 7]);
  });
});

describe('CurrentItem (related-items requests)', () => {
  it('IN CurrentItem.X shares any value with the current item', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN CurrentItem.GENRES', items(), { currentItem: 3 })).toEqual([3, 5, 6]);
    expect(run('EXCLUDE ItemID WHERE Items.GENRES IN CurrentItem.GENRES', items(), { currentItem: 1 })).toEqual([3, 4, 7]);
  });
  it('compares across fields and numerically', () => {
    expect(run('INCLUDE ItemID WHERE Items.CATEGORY_L1 IN CurrentItem.CATEGORY_L1 AND Items.PRICE >= CurrentItem.PRICE', items(), { currentItem: 1 })).toEqual([1, 2]);
  });
  it('without a current item (or one without the value) nothing matches', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN CurrentItem.GENRES', items(), {})).toEqual([]);
    expect(run('INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE', items(), { currentItem: 4 })).toEqual([]);
    expect(run('EXCLUDE ItemID WHERE Items.GENRES IN CurrentItem.GENRES', items(), { currentItem: -1 })).toEqual(ALL);
  });
});

describe('IF CurrentUser', () => {
  const e = 'EXCLUDE ItemID WHERE Items.PRICE > 20 IF CurrentUser.MEMBERSHIP IN ("gold") AND CurrentUser.AGE >= 18';
  it('applies the expression when every IF condition holds', () => {
    expect(run(e)).toEqual([0, 1, 2, 3, 4, 7]);
  });
  it('drops the expression when one does not hold, or the user is unknown', () => {
    expect(run(e, items({ AGE: 25, MEMBERSHIP: ['silver'] }))).toEqual(ALL);
    expect(run(e, items({ AGE: 17, MEMBERSHIP: ['gold'] }))).toEqual(ALL);
    expect(run(e, items({}))).toEqual(ALL);
  });
  it('a dropped INCLUDE leaves the other INCLUDEs of the chain', () => {
    const chain = 'INCLUDE ItemID WHERE Items.GENRES IN ("Action") | INCLUDE ItemID WHERE Items.PRICE > 20 IF CurrentUser.AGE < 18';
    expect(run(chain)).toEqual([7]);
    expect(run(chain, items({ AGE: 12 }))).toEqual([5, 6, 7]);
  });
  it('NOT IN / != hold for an unknown attribute', () => {
    expect(run('EXCLUDE ItemID WHERE Items.PRICE > 20 IF CurrentUser.MEMBERSHIP != "gold"', items({}))).toEqual([0, 1, 2, 3, 4, 7]);
  });
});

describe('chaining with |', () => {
  it('all INCLUDE: the union of the includes', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("Action") | INCLUDE ItemID WHERE Items.PRICE > 20')).toEqual([5, 6, 7]);
  });
  it('all EXCLUDE: the union of the excludes', () => {
    expect(run('EXCLUDE ItemID WHERE Items.GENRES IN ("Comedy") | EXCLUDE ItemID WHERE Items.PRICE > 20')).toEqual([2, 3, 4, 7]);
  });
  it('mixed: union of the INCLUDEs minus union of the EXCLUDEs, whatever the order', () => {
    const parts = [
      'INCLUDE ItemID WHERE Items.GENRES IN ("Drama", "Horror")',
      'EXCLUDE ItemID WHERE Items.PRICE >= 20',
      'INCLUDE ItemID WHERE Items.GENRES IN ("Action")',
    ];
    expect(run(parts.join(' | '))).toEqual([1, 2, 7]);
    expect(run([parts[1], parts[2], parts[0]].join('|'))).toEqual([1, 2, 7]);
  });
  it('AND binds tighter than OR', () => {
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("Action") OR Items.GENRES IN ("Drama") AND Items.PRICE > 12')).toEqual([2, 6, 7]);
    expect(run('INCLUDE ItemID WHERE Items.PRICE > 12 AND Items.GENRES IN ("Drama") OR Items.GENRES IN ("Action")')).toEqual([2, 6, 7]);
  });
  it('only narrows the mask it is given', () => {
    const m = new Uint8Array([0, 1, 1, 0, 1, 1, 1, 1]);
    expect(run('INCLUDE ItemID WHERE Items.GENRES IN ("Comedy") | EXCLUDE ItemID WHERE Items.PRICE > 20', items(), {}, m)).toEqual([1]);
  });
});

describe('interactions', () => {
  it('event types, keywords and dataset names are case-insensitive', () => {
    expect(run('exclude itemid where INTERACTIONS.event_type in ("Purchase")')).toEqual([0, 2, 3, 4, 6, 7]);
    expect(run('Include ItemId Where interactions.EVENT_TYPE In ("CLICK") Or interactions.Event_Type = "STREAM"')).toEqual([0, 1, 3, 6]);
  });
  it('whitespace is optional around punctuation and free elsewhere', () => {
    expect(run('INCLUDE ItemID WHERE Items.PRICE<=$P|EXCLUDE ItemID WHERE Items.GENRES IN("Comedy")', items(), fv({ P: '10' }))).toEqual([7]);
    expect(run('INCLUDE\n\tItemID   WHERE Items.GENRES IN ( "Drama" ,"Action" )\nIF CurrentUser.AGE>=25', items())).toEqual([1, 2, 6, 7]);
  });
  it('* means any event type', () => {
    expect(run('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN (*)')).toEqual([0, 1, 3, 5, 6]);
    expect(run('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")')).toEqual([2, 4, 7]);
    expect(run('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($E)', items(), fv({ E: '"*"' }))).toEqual([2, 4, 7]);
  });
  it('AND needs both event types on the same item; NOT IN matches items without that event type', () => {
    expect(run('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") AND Interactions.EVENT_TYPE IN ("purchase")')).toEqual([1]);
    expect(run('INCLUDE ItemID WHERE Interactions.EVENT_TYPE NOT IN ("click")')).toEqual([2, 4, 5, 6, 7]);
  });
  it('a user without history: INCLUDE keeps nothing, EXCLUDE removes nothing', () => {
    expect(run('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")', items(USER, []))).toEqual([]);
    expect(run('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")', items(USER, []))).toEqual(ALL);
  });
  it('sees only the 100 most recent interactions per event type', () => {
    // 150 purchases of items 0..149 (oldest first), then 120 clicks of item 0: the clicks do not push purchases out.
    const history: [number, string][] = [];
    for (let i = 0; i < 150; i++) history.push([i, 'purchase']);
    for (let i = 0; i < 120; i++) history.push([0, 'click']);
    const ctx = context({ columns: {}, n: 200, history });
    const left = run('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', ctx);
    expect(left).toEqual([...Array.from({ length: 50 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => 150 + i)]);
    const m = new Uint8Array(200).fill(1);
    compileFilter('INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")', INFO, { interactionsWindow: 10 }).apply(ctx, {}, m);
    expect([...m.keys()].filter((i) => m[i])).toEqual(Array.from({ length: 10 }, (_, i) => 140 + i));
  });
  it('action interactions keep 300 per event type', () => {
    const history: [number, string][] = [];
    for (let i = 0; i < 400; i++) history.push([i, 'TAKEN']);
    const ctx = context({ columns: {}, n: 400, history });
    expect(run('INCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("TAKEN")', ctx)).toEqual(Array.from({ length: 300 }, (_, i) => 100 + i));
  });
});

describe('what compileFilter reports', () => {
  it('target, placeholders, fields and CurrentItem / CurrentUser use', () => {
    const f = compileFilter(
      'INCLUDE ItemID WHERE Items.GENRES IN ($G) AND Items.PRICE < CurrentItem.PRICE IF CurrentUser.AGE > $AGE | EXCLUDE ItemID WHERE interactions.event_type IN ($G)',
      INFO,
    );
    expect(f.target).toBe('ItemID');
    expect(f.placeholders).toEqual(['G', 'AGE']);
    expect(f.fields).toEqual(['Items.GENRES', 'Items.PRICE', 'Users.AGE', 'Interactions.EVENT_TYPE']);
    expect(f.usesCurrentItem).toBe(true);
    expect(f.usesCurrentUser).toBe(true);
    const g = compileFilter('EXCLUDE UserID WHERE Users.AGE < 18', INFO);
    expect([g.target, g.placeholders, g.fields, g.usesCurrentItem, g.usesCurrentUser]).toEqual(['UserID', [], ['Users.AGE'], false, false]);
  });
  it('without schemas, fields are not checked and columns decide at request time', () => {
    const f = compileFilter('INCLUDE ItemID WHERE Items.ANYTHING IN ("x")');
    expect(f.fields).toEqual(['Items.ANYTHING']);
    const m = new Uint8Array(8).fill(1);
    f.apply(items(), {}, m);
    expect([...m]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('one compiled filter, many requests', () => {
  it('carries nothing over between users, columns or failed requests', () => {
    const f = compileFilter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") | INCLUDE ItemID WHERE Items.GENRES IN ("Drama") OR Items.PRICE < $P', INFO);
    const left = (ctx: FilterContext, req: FilterRequest) => { const m = new Uint8Array(ctx.candidateCount).fill(1); f.apply(ctx, req, m); return [...m.keys()].filter((i) => m[i]); };
    expect(left(items(), fv({ P: '9' }))).toEqual([2, 6, 7]);
    expect(() => left(items(), fv({ P: 'nine' }))).toThrow(/malformed/);
    expect(() => left(items(), fv({ P: '"nine"' }))).toThrow(/must be a number/);
    expect(left(items(USER, [[2, 'click']]), fv({ P: '9' }))).toEqual([0, 1, 6, 7]);
    // Another campaign's items: a different GENRES dictionary.
    const other = context({ n: 3, columns: { GENRES: categorical(['Drama', 'Western', 'Drama|Western']), PRICE: numeric([50, 50, 50]) } });
    expect(left(other, fv({ P: '9' }))).toEqual([0, 2]);
    expect(left(items(USER, []), fv({ P: '9' }))).toEqual([0, 1, 2, 6, 7]);
  });
  it('without a schema, a comparison on a string column compares numeric-looking values', () => {
    const segs = context({ n: 4, columns: { AGE: categorical(['30', '17', 'unknown', null]) } });
    expect(run('INCLUDE UserID WHERE Users.AGE > 18', segs, {}, undefined, {})).toEqual([0]);
  });
});
