// Recursive-descent parser: filter expression text -> syntax tree. Only the grammar lives here;
// which datasets, fields and operators may meet is decided in check.ts.
import { filterError, tokenize, type Token } from './lexer.js';

export type Dataset = 'Items' | 'Users' | 'Actions' | 'Interactions' | 'Action_Interactions' | 'CurrentItem' | 'CurrentUser';
export type Target = 'ItemID' | 'UserID' | 'ActionID';
export type Op = 'IN' | 'NOT IN' | '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface FieldRef { dataset: Dataset; attr: string; pos: number; text: string }

export type Operand =
  | { kind: 'list'; values: string[]; pos: number } // IN ("a", "b"), = "a"
  | { kind: 'any'; pos: number } // IN (*): any event type
  | { kind: 'number'; text: string; pos: number } // > 18
  | { kind: 'placeholder'; name: string; pos: number } // IN ($GENRE), <= $PRICE, > ($VALUE)
  | { kind: 'currentItem'; attr: string; pos: number; text: string }; // IN CurrentItem.GENRE

export interface Condition { field: FieldRef; op: Op; opPos: number; operand: Operand }

export interface Expression {
  action: 'INCLUDE' | 'EXCLUDE';
  target: Target;
  pos: number;
  targetPos: number;
  conditions: Condition[];
  /** joins[k] joins conditions[k] and conditions[k + 1]. */
  joins: ('AND' | 'OR')[];
  ifConditions: Condition[];
}

// Keywords and dataset names are case-insensitive (the 2019 API docs wrote `EXCLUDE itemId WHERE INTERACTIONS.event_type in (...)`).
const DATASETS: Record<string, Dataset> = {
  items: 'Items', users: 'Users', actions: 'Actions', interactions: 'Interactions',
  action_interactions: 'Action_Interactions', currentitem: 'CurrentItem', currentuser: 'CurrentUser',
};
const TARGETS: Record<string, Target> = { itemid: 'ItemID', userid: 'UserID', actionid: 'ActionID' };

export function parseFilter(src: string): Expression[] {
  const p = new Parser(tokenize(src));
  const out = [p.expression()];
  while (p.peek().kind === '|') { p.next(); out.push(p.expression()); }
  return out;
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the expression';
  if (t.kind === 'string') return `"${t.value}"`;
  if (t.kind === 'placeholder') return `$${t.value}`;
  return `'${t.value}'`;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  peek(k = 0): Token { return this.toks[Math.min(this.i + k, this.toks.length - 1)]; }
  next(): Token { return this.toks[this.i < this.toks.length - 1 ? this.i++ : this.i]; }
  private isWord(t: Token, kw: string): boolean { return t.kind === 'word' && t.value.toUpperCase() === kw; }
  private fail(what: string, t: Token): never { throw filterError(`${what}, found ${describe(t)}`, t.pos); }

  expression(): Expression {
    const a = this.next();
    if (!this.isWord(a, 'INCLUDE') && !this.isWord(a, 'EXCLUDE')) this.fail('expected INCLUDE or EXCLUDE', a);
    const action = a.value.toUpperCase() as 'INCLUDE' | 'EXCLUDE';
    const t = this.next();
    const target = t.kind === 'word' ? TARGETS[t.value.toLowerCase()] : undefined;
    if (!target) this.fail(`expected ItemID, UserID or ActionID after ${action}`, t);
    const w = this.next();
    if (!this.isWord(w, 'WHERE')) this.fail(`expected WHERE after ${target}`, w);

    const conditions = [this.condition()];
    const joins: ('AND' | 'OR')[] = [];
    while (this.isWord(this.peek(), 'AND') || this.isWord(this.peek(), 'OR')) {
      joins.push(this.next().value.toUpperCase() as 'AND' | 'OR');
      conditions.push(this.condition());
    }
    const ifConditions: Condition[] = [];
    if (this.isWord(this.peek(), 'IF')) {
      this.next();
      ifConditions.push(this.condition());
      for (;;) {
        const n = this.peek();
        if (this.isWord(n, 'AND')) { this.next(); ifConditions.push(this.condition()); continue; }
        if (this.isWord(n, 'OR')) throw filterError('only AND can join the conditions of an IF clause', n.pos);
        if (this.isWord(n, 'IF')) throw filterError('IF can appear only once, at the end of an expression', n.pos);
        break;
      }
      const e = this.peek();
      if (e.kind !== '|' && e.kind !== 'eof') this.fail('expected AND, | or the end of the filter after an IF condition', e);
    } else {
      const e = this.peek();
      if (e.kind !== '|' && e.kind !== 'eof') this.fail('expected AND, OR, IF, | or the end of the filter', e);
    }
    return { action, target, pos: a.pos, targetPos: t.pos, conditions, joins, ifConditions };
  }

  /** dataset "." attr, with the dataset name resolved case-insensitively. */
  private field(what: string): FieldRef {
    const d = this.next();
    if (d.kind !== 'word' || this.peek().kind !== '.') this.fail(what, d);
    this.next();
    const a = this.next();
    if (a.kind !== 'word') this.fail(`expected a field name after ${d.value}.`, a);
    const dataset = DATASETS[d.value.toLowerCase()];
    if (!dataset) {
      throw filterError(
        `unknown dataset ${d.value} (use Items, Users, Actions, Interactions or Action_Interactions; CurrentItem and CurrentUser refer to the request)`,
        d.pos,
      );
    }
    // EVENT_TYPE is the one interactions field and, like the dataset names, case-insensitive.
    const isEvent = (dataset === 'Interactions' || dataset === 'Action_Interactions') && a.value.toUpperCase() === 'EVENT_TYPE';
    return { dataset, attr: isEvent ? 'EVENT_TYPE' : a.value, pos: d.pos, text: `${d.value}.${a.value}` };
  }

  private condition(): Condition {
    const field = this.field('expected a field such as Items.GENRES (dataset.FIELD)');
    const o = this.next();
    let op: Op;
    if (this.isWord(o, 'IN')) op = 'IN';
    else if (this.isWord(o, 'NOT')) {
      const i = this.next();
      if (!this.isWord(i, 'IN')) this.fail('expected IN after NOT', i);
      op = 'NOT IN';
    } else if (o.kind === 'op') op = o.value as Op;
    else this.fail(`expected IN, NOT IN or a comparison after ${field.text}`, o);
    const operand = op === 'IN' || op === 'NOT IN' ? this.inOperand(op) : this.scalarOperand(op);
    return { field, op, opPos: o.pos, operand };
  }

  private currentItem(): Operand {
    const f = this.field('expected a value');
    if (f.dataset !== 'CurrentItem') throw filterError(`${f.text} can't be used as a value; only CurrentItem fields can (e.g. Items.GENRE IN CurrentItem.GENRE)`, f.pos);
    return { kind: 'currentItem', attr: f.attr, pos: f.pos, text: f.text };
  }

  private inOperand(op: Op): Operand {
    const t = this.peek();
    if (t.kind === 'placeholder') { this.next(); return { kind: 'placeholder', name: t.value, pos: t.pos }; }
    if (t.kind === 'word') return this.currentItem();
    if (t.kind !== '(') this.fail(`expected ( after ${op}`, t);
    this.next();
    const first = this.next();
    let operand: Operand;
    if (first.kind === 'placeholder') operand = { kind: 'placeholder', name: first.value, pos: first.pos };
    else if (first.kind === '*') operand = { kind: 'any', pos: first.pos };
    else if (first.kind === 'string') {
      const values = [first.value];
      while (this.peek().kind === ',') {
        this.next();
        const v = this.next();
        if (v.kind === 'placeholder') throw filterError('a placeholder must be the only value of an IN list', v.pos);
        if (v.kind !== 'string') this.fail('expected a double-quoted value after a comma', v);
        values.push(v.value);
      }
      operand = { kind: 'list', values, pos: first.pos };
    } else if (first.kind === ')') throw filterError(`empty ${op} list`, first.pos);
    else this.fail(`expected double-quoted values, a $PLACEHOLDER or * in the ${op} list`, first);
    const close = this.next();
    if (close.kind !== ')') {
      if (operand.kind !== 'list' && close.kind === ',') throw filterError(`${operand.kind === 'any' ? '*' : 'a placeholder'} must be the only value of an IN list`, close.pos);
      this.fail(`expected , or ) in the ${op} list`, close);
    }
    return operand;
  }

  private scalarOperand(op: Op): Operand {
    let t = this.peek();
    const paren = t.kind === '(';
    if (paren) { this.next(); t = this.peek(); }
    let operand: Operand;
    if (t.kind === 'number') { this.next(); operand = { kind: 'number', text: t.value, pos: t.pos }; }
    else if (t.kind === 'string') { this.next(); operand = { kind: 'list', values: [t.value], pos: t.pos }; }
    else if (t.kind === 'placeholder') { this.next(); operand = { kind: 'placeholder', name: t.value, pos: t.pos }; }
    else if (t.kind === 'word') operand = this.currentItem();
    else this.fail(`expected a number, a "string", a $PLACEHOLDER or CurrentItem.FIELD after ${op}`, t);
    if (paren) {
      const c = this.next();
      if (c.kind !== ')') this.fail(`expected ) after the single value of ${op}`, c);
    }
    return operand;
  }
}
