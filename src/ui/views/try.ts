// Try it: one user (or item) asked of two campaigns / recommenders side by side, the user's latest interactions
// beside them, and PutEvents clicks on shown items that re-ask both, so real-time fold-in shows as a changed list.
import { control, listAll, local, runtime, type Interaction } from '../api.js';
import { errorBox, h, section, table } from '../dom.js';
import { count, route, time } from '../format.js';
import type { View } from './context.js';
import { loadTargets, tryPane, type FilterInfo, type Query } from './try-pane.js';

type Row = Record<string, any>;

/** One session id per page load, as a web page would send with PutEvents. */
const SESSION = `console-${crypto.randomUUID()}`;

function parseContext(text: string): Record<string, string> | undefined {
  const pairs = text.split(/[;\n]/).map((p) => p.trim()).filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p, ''] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
  });
  return pairs.length ? Object.fromEntries(pairs) : undefined;
}

export const tryView: View = async (groupArn, params, ctx) => {
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: groupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name, route('group', groupArn)], ['Try it']]);
  const [targets, filterList, trackerList, datasets] = await Promise.all([
    loadTargets(groupArn),
    listAll<Row>('ListFilters', { datasetGroupArn: groupArn }, 'Filters'),
    listAll<Row>('ListEventTrackers', { datasetGroupArn: groupArn }, 'eventTrackers'),
    listAll<Row>('ListDatasets', { datasetGroupArn: groupArn }, 'datasets'),
  ]);
  const filters: FilterInfo[] = await Promise.all(filterList.map((f) => control('DescribeFilter', { filterArn: f.filterArn }).then((r) => r.filter as FilterInfo)));
  const interactions = datasets.find((d) => d.datasetType === 'INTERACTIONS');
  // Next-best-action lists take PutActionInteractions, sent with the Action interactions dataset's own trackingId.
  const actionInteractions = datasets.find((d) => d.datasetType === 'ACTION_INTERACTIONS');
  const actionTrackingId: string | undefined = actionInteractions
    ? (await control('DescribeDataset', { datasetArn: actionInteractions.datasetArn })).dataset.trackingId : undefined;
  const [overview, most, least, popular] = interactions
    ? await Promise.all([local.dataset(interactions.datasetArn, 0), local.users(groupArn, 'most', 8), local.users(groupArn, 'least', 8), local.popularItems(groupArn, 25)])
    : [undefined, undefined, undefined, undefined];
  let tracker: Row | undefined = trackerList[0] ? (await control('DescribeEventTracker', { eventTrackerArn: trackerList[0].eventTrackerArn })).eventTracker : undefined;

  // The query every pane answers.
  const user = h('input', { type: 'text', list: 'users-list', value: params.get('user') ?? most?.users[0]?.userId ?? '', placeholder: 'USER_ID', 'aria-label': 'userId', 'data-test': 'user' });
  const item = h('input', { type: 'text', list: 'items-list', value: params.get('item') ?? popular?.items[0]?.itemId ?? '', placeholder: 'ITEM_ID (related items)', 'aria-label': 'itemId', 'data-test': 'item' });
  const numResults = h('input', { type: 'number', min: '1', max: '500', value: params.get('n') ?? '10', 'aria-label': 'numResults' });
  const context = h('input', { type: 'text', value: params.get('ctx') ?? '', placeholder: 'DEVICE=mobile; …', 'aria-label': 'context' });
  const query = (): Query => ({
    userId: user.value.trim() || undefined, itemId: item.value.trim() || undefined,
    numResults: Number(numResults.value) || 10, context: parseContext(context.value),
    inputList: popular?.items.map((x) => x.itemId),
  });

  // Events: the group's tracker, or an explicit offer to create one.
  const eventTypes = overview?.eventTypes?.map((e) => e.eventType) ?? [];
  const eventType = h('select', { 'aria-label': 'event type', 'data-test': 'event-type' }, (eventTypes.length ? eventTypes : ['click']).map((t) => h('option', { value: t }, t)));
  const eventBar = h('div', { class: 'event-bar' });
  const eventLog = h('div', { class: 'event-log', 'aria-live': 'polite', 'data-test': 'event-log' });
  const showTracker = () => {
    if (!interactions) { eventBar.replaceChildren(h('span', { class: 'muted' }, 'Events need an Interactions dataset in this group.')); return; }
    if (tracker) {
      eventBar.replaceChildren(`Clicks on shown items are sent with PutEvents to tracker `, h('strong', null, tracker.name), ` (${tracker.status}) as `, eventType,
        h('span', { class: 'muted' }, ` · sessionId ${SESSION.slice(0, 16)}…`));
      return;
    }
    const create = h('button', { 'data-test': 'create-tracker', onclick: async () => {
      create.disabled = true;
      try {
        const { eventTrackerArn } = await control('CreateEventTracker', { name: `console-${g.name}`.slice(0, 63), datasetGroupArn: groupArn });
        tracker = (await control('DescribeEventTracker', { eventTrackerArn })).eventTracker;
        showTracker();
        void runAll(false);
      } catch (err) {
        eventBar.append(errorBox(err));
        create.disabled = false;
      }
    } }, 'Create an event tracker');
    eventBar.replaceChildren(h('span', null, 'This dataset group has no event tracker, and PutEvents needs its trackingId. '), create,
      h('span', { class: 'muted' }, ' (CreateEventTracker; nothing is deleted)'));
  };
  showTracker();

  const history = h('div', { class: 'history-body' });
  const deps = {
    groupArn, targets, filters,
    clickLabel: () => (tracker && user.value.trim() ? eventType.value : undefined),
    onTargetChange: () => void runAll(false),
    onClick: (itemId: string, recommendationId: string, shown: string[]) => void sendEvent(itemId, recommendationId, shown),
    ...(actionTrackingId ? { onTake: (actionId: string, recommendationId: string, shown: string[]) => void takeAction(actionId, recommendationId, shown) } : {}),
  };
  const a = params.get('a') ?? targets[0]?.arn;
  const b = params.get('b') ?? targets.find((t) => t.arn !== a)?.arn;
  const paneA = tryPane(deps, a, 'A');
  const paneB = tryPane(deps, b, 'B');

  async function showHistory(): Promise<void> {
    const userId = user.value.trim();
    if (!interactions || !userId) { history.replaceChildren(h('p', { class: 'muted empty' }, userId ? 'No Interactions dataset.' : 'Enter a user to see their history.')); return; }
    try {
      const hist = await local.userInteractions(groupArn, userId, 20);
      const meta = await local.itemMetadata(groupArn, hist.interactions.map((x) => x.itemId));
      const cols = meta.columns.filter((c) => !/TIMESTAMP$/.test(c)).slice(0, 2);
      history.replaceChildren(
        h('p', { class: 'muted' }, hist.total ? `${count(hist.total)} interactions; the latest ${hist.interactions.length}, newest first.` : 'No interactions: a new user (cold start).'),
        table(['when (UTC)', 'event', ['item', cols.length ? h('div', { class: 'muted sub' }, cols.join(' · ')) : null]], hist.interactions.map((x: Interaction) => [
          h('span', null, time(x.timestamp), x.streamed ? h('span', { class: 'chg new', title: 'sent with PutEvents' }, 'live') : null),
          x.eventType ?? '—',
          h('div', { class: 'item-cell' }, h('code', { class: 'item' }, x.itemId),
            cols.length ? h('div', { class: 'meta' }, cols.map((c) => h('span', { 'data-col': c }, meta.items[x.itemId]?.[c] ?? '—'))) : null),
        ]), { class: 'history', test: 'history' }));
    } catch (err) {
      history.replaceChildren(errorBox(err));
    }
  }

  async function runAll(compare: boolean): Promise<void> {
    const q = query();
    const keep = new URLSearchParams({ ...(paneA.target() ? { a: paneA.target()!.arn } : {}), ...(paneB.target() ? { b: paneB.target()!.arn } : {}),
      ...(q.userId ? { user: q.userId } : {}), ...(q.itemId ? { item: q.itemId } : {}), n: String(q.numResults), ...(context.value ? { ctx: context.value } : {}) });
    replaceHash(`#/try/${encodeURIComponent(groupArn)}?${keep}`);
    busy(+1);
    try {
      await Promise.all([paneA.run(q, { compare }), paneB.run(q, { compare }), showHistory()]);
    } finally {
      busy(-1);
    }
  }

  async function sendEvent(itemId: string, recommendationId: string, shown: string[]): Promise<void> {
    const userId = user.value.trim();
    if (!tracker || !userId) return;
    try {
      // Sent at the server's time, which may have been moved forward.
      const { now } = await local.health();
      await runtime.putEvents({ trackingId: tracker.trackingId, userId, sessionId: SESSION,
        eventList: [{ eventType: eventType.value, itemId, sentAt: now, recommendationId, impression: shown.slice(0, 25) }] });
      eventLog.prepend(h('div', { class: 'event' }, `PutEvents: ${userId} ${eventType.value} ${itemId} at ${time(now)} UTC`));
      await runAll(true);
    } catch (err) {
      eventLog.prepend(errorBox(err));
    }
  }

  async function takeAction(actionId: string, recommendationId: string, shown: string[]): Promise<void> {
    const userId = user.value.trim();
    if (!actionTrackingId || !userId) return;
    try {
      const { now } = await local.health();
      await runtime.putActionInteractions({ trackingId: actionTrackingId, actionInteractions: [{ actionId, userId, sessionId: SESSION,
        timestamp: now, eventType: 'Taken', recommendationId, impression: shown.slice(0, 25) }] });
      eventLog.prepend(h('div', { class: 'event' }, `PutActionInteractions: ${userId} Taken ${actionId} at ${time(now)} UTC`));
      await runAll(true);
    } catch (err) {
      eventLog.prepend(errorBox(err));
    }
  }

  // While lists are being asked for, the page says so (and tests wait for it to settle).
  let pending = 0;
  const busy = (d: number) => { pending += d; page.classList.toggle('busy', pending > 0); page.setAttribute('aria-busy', String(pending > 0)); };
  const go = () => void runAll(false);
  for (const el of [user, item, numResults, context]) el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') go(); });
  ctx.onClock(() => void runAll(true));

  const pick = (label: string, list: { id: string; n: number }[] | undefined, input: HTMLInputElement, test: string) => list?.length
    ? h('div', { class: 'chips' }, h('span', { class: 'muted' }, label), list.map((x) => h('button', { class: 'chip', 'data-test': test, title: `${x.n} interactions`, onclick: () => { input.value = x.id; go(); } }, x.id, h('span', { class: 'n' }, String(x.n)))))
    : null;

  const page = h('div', { class: 'try' },
    h('h1', null, 'Try it ', h('span', { class: 'muted' }, g.name)),
    h('datalist', { id: 'users-list' }, [...(most?.users ?? []), ...(least?.users ?? [])].map((u) => h('option', { value: u.userId }))),
    h('datalist', { id: 'items-list' }, (popular?.items ?? []).map((x) => h('option', { value: x.itemId }))),
    h('div', { class: 'card query' },
      h('div', { class: 'query-row' },
        h('label', null, 'userId ', user), h('label', null, 'itemId ', item), h('label', null, 'numResults ', numResults), h('label', { class: 'grow' }, 'context ', context),
        h('button', { class: 'primary', onclick: go, 'data-test': 'run' }, 'Get recommendations')),
      pick('most history', most?.users.map((u) => ({ id: u.userId, n: u.interactions })), user, 'user-chip'),
      pick('least history', least?.users.map((u) => ({ id: u.userId, n: u.interactions })), user, 'user-chip'),
      pick('popular items', popular?.items.slice(0, 8).map((x) => ({ id: x.itemId, n: x.interactions })), item, 'item-chip'),
      most ? h('p', { class: 'muted' }, `${count(most.total)} users with interactions. itemId is used by related-items recipes; personalized-ranking campaigns rank the 25 most popular items.`) : null,
      eventBar,
      actionTrackingId ? h('p', { class: 'muted' }, 'Taken, on a shown action, sends PutActionInteractions with the Action interactions dataset\'s trackingId.') : null,
      eventLog),
    targets.length ? null : h('div', { class: 'banner warn' }, 'This dataset group has no campaigns or recommenders yet: train a solution version and create a campaign (CreateCampaign), or create a recommender.'),
    h('div', { class: 'try-grid' }, paneA.el, paneB.el, section('User history', history)),
  );
  void runAll(false);
  return page;
};

/** Keeps the query in the address (so a reload or a shared link shows the same) without re-rendering. */
function replaceHash(hash: string): void {
  if (location.hash !== hash) window.history.replaceState(null, '', hash);
}
