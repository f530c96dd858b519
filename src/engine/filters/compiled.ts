// A compiled filter: per request, resolves placeholders, gates expressions on IF CurrentUser, evaluates
// each expression as OR-of-AND groups, and combines the chain (INCLUDE union minus EXCLUDE union).
import { CondEval, RequestState } from './conditions.js';
import type { FilterSummary } from './check.js';
import type { Expression } from './parser.js';
import type { CompiledFilter, FilterContext, FilterOptions, FilterRequest } from './types.js';
import { missingValue, parseFilterValue, validateFilterValues } from './values.js';

export const FILTER_INTERACTIONS_WINDOW = 100;
export const FILTER_ACTION_INTERACTIONS_WINDOW = 300;
// Bits of the per-candidate scratch byte: in the union of INCLUDEs / of EXCLUDEs.
const INC = 1, EXC = 2;

interface CompiledExpression {
  include: boolean;
  /** AND binds tighter than OR: `a AND b OR c` is (a AND b) OR c, i.e. groups [[a, b], [c]]. */
  groups: CondEval[][];
  ifConds: CondEval[];
  placeholders: string[];
}

export class CompiledFilterImpl implements CompiledFilter {
  readonly target: CompiledFilter['target'];
  readonly placeholders: string[];
  readonly fields: string[];
  readonly usesCurrentItem: boolean;
  readonly usesCurrentUser: boolean;
  private readonly exprs: CompiledExpression[];
  private scratch = new Uint8Array(0);

  constructor(readonly expression: string, parsed: Expression[], summary: FilterSummary, options: FilterOptions = {}) {
    this.target = summary.target;
    this.placeholders = summary.placeholders;
    this.fields = summary.fields;
    this.usesCurrentItem = summary.usesCurrentItem;
    this.usesCurrentUser = summary.usesCurrentUser;
    const windows = {
      interactions: options.interactionsWindow ?? FILTER_INTERACTIONS_WINDOW,
      actionInteractions: options.actionInteractionsWindow ?? FILTER_ACTION_INTERACTIONS_WINDOW,
    };
    this.exprs = parsed.map((e) => {
      const groups: CondEval[][] = [[]];
      e.conditions.forEach((c, k) => {
        if (k > 0 && e.joins[k - 1] === 'OR') groups.push([]);
        groups[groups.length - 1].push(new CondEval(c, e.target, windows));
      });
      const placeholders: string[] = [];
      for (const c of [...e.conditions, ...e.ifConditions]) {
        if (c.operand.kind === 'placeholder' && !placeholders.includes(c.operand.name)) placeholders.push(c.operand.name);
      }
      return { include: e.action === 'INCLUDE', groups, ifConds: e.ifConditions.map((c) => new CondEval(c, e.target, windows)), placeholders };
    });
  }

  /** Parsed placeholder values of one expression; null when an EXCLUDE expression lacks one (it is then skipped). */
  private resolve(e: CompiledExpression, fv: Record<string, string> | undefined): Map<string, string[]> | null {
    const vals = new Map<string, string[]>();
    for (const name of e.placeholders) {
      const raw = fv && Object.prototype.hasOwnProperty.call(fv, name) ? fv[name] : undefined;
      const parsed = raw === undefined || raw === null ? null : parseFilterValue(name, raw);
      if (parsed === null) {
        if (e.include) throw missingValue(name);
        return null;
      }
      vals.set(name, parsed);
    }
    return vals;
  }

  apply(ctx: FilterContext, req: FilterRequest, mask: Uint8Array): void {
    validateFilterValues(req.filterValues);
    const n = Math.min(ctx.candidateCount, mask.length);
    if (this.scratch.length < n) this.scratch = new Uint8Array(n);
    const s = this.scratch;
    s.fill(0, 0, n);
    // Resolve every expression's values before touching the mask, so a missing INCLUDE value fails the
    // request no matter where it sits in the chain.
    const resolved = this.exprs.map((e) => this.resolve(e, req.filterValues));
    const st = new RequestState(ctx, req);
    let anyInclude = false;
    for (let x = 0; x < this.exprs.length; x++) {
      const e = this.exprs[x];
      const vals = resolved[x];
      if (vals === null) continue;
      st.vals = vals;
      // An expression whose IF is false is dropped from the chain, as if it were not written.
      if (!e.ifConds.every((c) => c.holds(st))) continue;
      const bit = e.include ? INC : EXC;
      if (e.include) anyInclude = true;
      for (const group of e.groups) {
        // prepare() may throw (a non-numeric value for a numeric placeholder): release whatever was marked.
        try {
          for (const c of group) c.prepare(st, n);
          this.unite(group, mask, s, n, bit);
        } finally {
          for (const c of group) c.release();
        }
      }
    }
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      const v = s[i];
      if ((anyInclude && !(v & INC)) || v & EXC) mask[i] = 0;
    }
  }

  /** Add to the `bit` union the candidates that pass every condition of an AND group, in one pass. */
  private unite(group: CondEval[], mask: Uint8Array, s: Uint8Array, n: number, bit: number): void {
    if (group.length === 1) {
      const c = group[0];
      for (let i = 0; i < n; i++) if (mask[i] && !(s[i] & bit) && c.test(i)) s[i] |= bit;
      return;
    }
    const g = group.length;
    outer: for (let i = 0; i < n; i++) {
      if (!mask[i] || s[i] & bit) continue;
      for (let k = 0; k < g; k++) if (!group[k].test(i)) continue outer;
      s[i] |= bit;
    }
  }
}
