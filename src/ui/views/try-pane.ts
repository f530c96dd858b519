// One Try-it pane: a campaign or recommender, its filter (with $placeholder values) and promotion, and the list
// it answers for the page's query, with item metadata, scores, each slot and its explain trace. After an event
// the new list is compared with the one before (new items and moves are marked).
import { ApiError, control, local, runtime, type Explanation, type ItemExplanation, type Metadata, type PredictedItem } from '../api.js';
import { errorBox, h, json, table } from '../dom.js';
import { recipeName, route, score } from '../format.js';

export interface Target { arn: string; name: string; kind: 'campaign' | 'recommender'; recipe: string; recipeType: string; status?: string; config?: Record<string, any> }
export interface FilterInfo { filterArn: string; name: string; filterExpression: string; status?: string }
export interface Query { userId?: string; itemId?: string; numResults: number; context?: Record<string, string>; inputList?: string[] }

export interface PaneDeps {
  groupArn: string;
  targets: Target[];
  filters: FilterInfo[];
  /** Called with a shown item's id and its list's recommendationId (the page sends the PutEvents). */
  onClick?: (itemId: string, recommendationId: string, shown: string[]) => void;
  clickLabel(): string | undefined;
  /** For next-best-action lists: sends a PutActionInteractions "Taken" (when the group has an Action interactions dataset). */
  onTake?: (actionId: string, recommendationId: string, shown: string[]) => void;
  onTargetChange(): void;
}

interface Shown { items: { id: string; score?: number; promotionName?: string; reason?: string[]; trace?: ItemExplanation }[]; recommendationId: string; trace?: Explanation['trace'] }

const placeholders = (expr: string) => [...new Set([...expr.matchAll(/\$([A-Za-z0-9_]+)/g)].map((m) => m[1]!))];

/** Filter values as Personalize takes them: each value in double quotes, several separated by commas. */
export function filterValue(text: string): string {
  const t = text.trim();
  if (t.startsWith('"')) return t;
  return t.split(',').map((v) => v.trim()).filter(Boolean).map((v) => JSON.stringify(v)).join(',');
}

function filterPicker(label: string, filters: FilterInfo[], test: string) {
  const select = h('select', { 'data-test': test }, h('option', { value: '' }, '(none)'), filters.map((f) => h('option', { value: f.filterArn, disabled: f.status !== 'ACTIVE' }, `${f.name}${f.status === 'ACTIVE' ? '' : ` (${f.status})`}`)));
  const values = h('div', { class: 'placeholders' });
  const inputs = new Map<string, HTMLInputElement>();
  const update = () => {
    inputs.clear();
    const f = filters.find((x) => x.filterArn === select.value);
    values.replaceChildren(...(f ? [h('code', { class: 'expr' }, f.filterExpression), ...placeholders(f.filterExpression).map((p) => {
      const input = h('input', { type: 'text', placeholder: 'value, or "a","b"', 'aria-label': `$${p}` });
      inputs.set(p, input);
      return h('label', null, `$${p} `, input);
    })] : []));
  };
  select.addEventListener('change', update);
  return {
    el: h('div', { class: 'field' }, h('label', null, label, ' ', select), values),
    arn: () => select.value || undefined,
    values: () => (inputs.size ? Object.fromEntries([...inputs].map(([k, i]) => [k, filterValue(i.value)])) : undefined),
  };
}

export function tryPane(deps: PaneDeps, initial: string | undefined, side: 'A' | 'B') {
  const select = h('select', { 'data-test': `target-${side}` },
    h('option', { value: '' }, deps.targets.length ? '(choose a campaign or recommender)' : '(no campaigns or recommenders yet)'),
    deps.targets.map((t) => h('option', { value: t.arn }, `${t.kind === 'campaign' ? 'campaign' : 'recommender'} ${t.name} · ${recipeName(t.recipe)}${t.status === 'ACTIVE' ? '' : ` (${t.status})`}`)));
  if (initial) select.value = initial;
  const filter = filterPicker('filter', deps.filters, `filter-${side}`);
  const promoFilter = filterPicker('promoted items: filter', deps.filters, `promo-filter-${side}`);
  const promoName = h('input', { type: 'text', value: 'promoted', 'aria-label': 'promotion name' });
  const promoPercent = h('input', { type: 'number', min: '1', max: '100', value: '20', 'aria-label': 'percent promoted items' });
  const info = h('div', { class: 'target-info muted' });
  const out = h('div', { class: 'results', 'aria-live': 'polite' });
  let previous: Shown | undefined;
  const target = () => deps.targets.find((t) => t.arn === select.value);

  const showInfo = () => {
    const t = target();
    if (!t) { info.replaceChildren('Pick what to ask.'); return; }
    const cfg = t.config ?? {};
    info.replaceChildren(h('a', { href: route(t.kind, t.arn) }, t.name), ` · ${t.recipeType}`,
      cfg.rankingInfluence ? ` · rankingInfluence ${Object.entries(cfg.rankingInfluence).map(([k, w]) => `${k} ${w}`).join(', ')}` : '',
      cfg.itemExplorationConfig ? ` · exploration weight ${cfg.itemExplorationConfig.explorationWeight ?? '0.3'}` : '');
  };
  select.addEventListener('change', () => { previous = undefined; showInfo(); deps.onTargetChange(); });
  showInfo();

  async function ask(q: Query): Promise<Shown> {
    const t = target()!;
    const common = { filterArn: filter.arn(), filterValues: filter.arn() ? filter.values() : undefined };
    if (t.recipeType === 'PERSONALIZED_RANKING') {
      const out = await runtime.getPersonalizedRanking({ campaignArn: t.arn, userId: q.userId, inputList: q.inputList ?? [], context: q.context, ...common });
      return { items: out.personalizedRanking.map((p) => ({ id: p.itemId, score: p.score })), recommendationId: out.recommendationId };
    }
    if (t.recipeType === 'PERSONALIZED_ACTIONS') {
      const out = await runtime.getActionRecommendations({ campaignArn: t.arn, userId: q.userId, numResults: q.numResults, ...common });
      return { items: out.actionList.map((a) => ({ id: a.actionId, score: a.score })), recommendationId: out.recommendationId };
    }
    const promotions = promoFilter.arn()
      ? [{ name: promoName.value, percentPromotedItems: Number(promoPercent.value), filterArn: promoFilter.arn(), filterValues: promoFilter.values() }]
      : undefined;
    const body = {
      [t.kind === 'campaign' ? 'campaignArn' : 'recommenderArn']: t.arn,
      userId: q.userId,
      itemId: t.recipeType === 'RELATED_ITEMS' ? q.itemId : undefined,
      numResults: q.numResults, context: q.context, promotions, ...common,
    };
    // What an SDK user gets, then the same request explained stage by stage.
    const list = await runtime.getRecommendations(body);
    const explained = await local.explain(body).catch(() => undefined);
    const traceOf = new Map((explained?.trace.items ?? []).map((x) => [x.itemId, x]));
    return {
      items: list.itemList.map((p: PredictedItem) => ({ id: p.itemId, score: p.score, promotionName: p.promotionName, reason: p.reason, trace: traceOf.get(p.itemId) })),
      recommendationId: list.recommendationId, trace: explained?.trace,
    };
  }

  async function run(q: Query, opts: { compare: boolean }): Promise<string[]> {
    const t = target();
    if (!t) { out.replaceChildren(h('p', { class: 'muted empty' }, 'Choose a campaign or recommender above.')); return []; }
    if (t.status !== 'ACTIVE') { out.replaceChildren(errorBox(new ApiError(400, 'NotActive', `${t.name} is ${t.status}; it answers once ACTIVE.`))); return []; }
    let shown: Shown;
    try {
      shown = await ask(q);
    } catch (err) {
      out.replaceChildren(errorBox(err));
      return [];
    }
    const before = opts.compare && previous ? new Map(previous.items.map((x, i) => [x.id, i])) : undefined;
    previous = shown;
    const ids = shown.items.map((x) => x.id);
    const meta = t.recipeType === 'PERSONALIZED_ACTIONS' ? { columns: [], items: {} as Record<string, Metadata | null> } : await local.itemMetadata(deps.groupArn, ids).catch(() => ({ columns: [] as string[], items: {} as Record<string, Metadata | null> }));
    // Two metadata columns fit beside the list (times and numbers stay in the item's tooltip).
    const cols = meta.columns.filter((c) => !/TIMESTAMP$/.test(c)).slice(0, 2);
    const click = deps.clickLabel();
    const rows = shown.items.map((x, i) => {
      const m = meta.items[x.id];
      const was = before?.get(x.id);
      const change = !before ? null : was === undefined ? h('span', { class: 'chg new', title: 'not in the list before the event' }, 'new')
        : was > i ? h('span', { class: 'chg up', title: `was #${was + 1}` }, `↑${was - i}`) : was < i ? h('span', { class: 'chg down', title: `was #${was + 1}` }, `↓${i - was}`) : null;
      const slot = x.trace?.slot ?? (x.promotionName ? 'promotion' : x.reason?.includes('Exploration') ? 'exploration' : undefined);
      const tr = x.trace;
      return [
        h('span', null, String(i + 1), change),
        h('div', { class: 'item-cell' },
          h('code', { class: 'item', title: m ? Object.entries(m).map(([k, v]) => `${k}: ${v ?? 'null'}`).join('\n') : 'not in the Items dataset' }, x.id),
          cols.length ? h('div', { class: 'meta' }, cols.map((c) => h('span', { 'data-col': c, title: `${c}: ${m?.[c] ?? 'null'}` }, m?.[c] ?? '—'))) : null),
        h('div', { class: 'why' },
          x.score !== undefined ? h('div', { class: 'score' }, score(x.score)) : h('div', { class: 'muted', title: 'this recipe returns no scores' }, 'no score'),
          slot ? h('span', { class: `slot ${slot}`, 'data-test': 'slot' }, slot, x.promotionName ? ` (${x.promotionName})` : '') : null,
          // The explain trace: the model's raw score (and the ranking score when rankingInfluence reorders); all of it in the tooltip.
          tr ? h('div', { class: 'trace', title: JSON.stringify(tr, null, 1) }, `model ${score(tr.modelScore, 3)}`, tr.influence ? ` · rank ${score(tr.influence.rankingScore, 3)}` : '')
            : x.reason?.length ? h('div', { class: 'trace' }, x.reason.join(', ')) : null),
        t.recipeType === 'PERSONALIZED_ACTIONS'
          ? (deps.onTake
            ? h('button', { class: 'small', title: `PutActionInteractions: Taken on ${x.id}`, 'data-test': 'take-action', onclick: () => deps.onTake!(x.id, shown.recommendationId, ids) }, 'Taken')
            : '')
          : click && deps.onClick
            ? h('button', { class: 'small', title: `PutEvents: ${click} on ${x.id}`, 'data-test': 'click-item', onclick: () => deps.onClick!(x.id, shown.recommendationId, ids) }, click)
            : '',
      ];
    });
    const tr = shown.trace;
    out.replaceChildren(...[
      tr ? h('p', { class: 'muted summary' }, `${tr.recipe}: ${tr.personalized ? 'ranked by the model' : `the model does not know this ${t.recipeType === 'RELATED_ITEMS' ? 'item' : 'user'}: popular items`}`,
        ` · ${tr.candidatesAfterFilter.toLocaleString('en-US')} of ${tr.candidates.toLocaleString('en-US')} items pass the filter`,
        tr.exploration ? ` · ${tr.exploration.slots} exploration slot(s)` : '') : null,
      table(['#', t.recipeType === 'PERSONALIZED_ACTIONS' ? 'action' : ['item', cols.length ? h('div', { class: 'muted sub' }, cols.join(' · ')) : null], ['score', h('div', { class: 'muted sub' }, 'slot · explain')], ''], rows, { class: 'recs', empty: 'The list is empty (the filter may remove every item).', test: `list-${side}` }),
      json('recommendationId and trace', { recommendationId: shown.recommendationId, trace: tr }),
    ].filter((x): x is HTMLElement => x !== null));
    return ids;
  }

  return {
    el: h('div', { class: 'pane card' },
      h('div', { class: 'pane-head' }, h('strong', null, side), select), info,
      h('details', { class: 'options' }, h('summary', null, 'filter and promotion'),
        filter.el,
        h('fieldset', null, h('legend', null, 'promotion (GetRecommendations only)'), promoFilter.el,
          h('label', null, 'name ', promoName), h('label', null, ' % of the list ', promoPercent))),
      out),
    run,
    target,
  };
}

export async function loadTargets(groupArn: string): Promise<Target[]> {
  const recipeType = new Map<string, Promise<string>>();
  const typeOf = (recipeArn: string) => {
    if (!recipeType.has(recipeArn)) recipeType.set(recipeArn, control('DescribeRecipe', { recipeArn }).then((r) => r.recipe.recipeType as string).catch(() => 'UNKNOWN'));
    return recipeType.get(recipeArn)!;
  };
  const [solutions, recommenders] = await Promise.all([
    control('ListSolutions', { datasetGroupArn: groupArn, maxResults: 100 }),
    control('ListRecommenders', { datasetGroupArn: groupArn, maxResults: 100 }),
  ]);
  const campaigns = (await Promise.all((solutions.solutions as Record<string, any>[]).map((s) => control('ListCampaigns', { solutionArn: s.solutionArn, maxResults: 100 })
    .then((r) => (r.campaigns as Record<string, any>[]))))).flat();
  const fromCampaigns = await Promise.all(campaigns.map(async (c): Promise<Target> => {
    const { campaign } = await control('DescribeCampaign', { campaignArn: c.campaignArn });
    const { solutionVersion } = await control('DescribeSolutionVersion', { solutionVersionArn: campaign.solutionVersionArn });
    return { arn: c.campaignArn, name: c.name, kind: 'campaign', recipe: solutionVersion.recipeArn, recipeType: await typeOf(solutionVersion.recipeArn), status: campaign.status, config: campaign.campaignConfig };
  }));
  const fromRecommenders = await Promise.all((recommenders.recommenders as Record<string, any>[]).map(async (r): Promise<Target> =>
    ({ arn: r.recommenderArn, name: r.name, kind: 'recommender', recipe: r.recipeArn, recipeType: await typeOf(r.recipeArn), status: r.status, config: r.recommenderConfig })));
  return [...fromCampaigns, ...fromRecommenders];
}
