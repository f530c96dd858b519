// The console's entry: routes (#/kind/arn?params) to views, the breadcrumbs, and the server clock control.
import { ApiError, local, type Health } from './api.js';
import { errorBox, fill, h } from './dom.js';
import { time } from './format.js';
import type { View, ViewContext } from './views/context.js';
import { batchJobView } from './views/batch.js';
import { datasetView } from './views/dataset.js';
import { groupView } from './views/group.js';
import { homeView } from './views/home.js';
import { campaignView, recommenderView } from './views/serving.js';
import { solutionView } from './views/solution.js';
import { tryView } from './views/try.js';

const VIEWS: Record<string, View> = {
  '': homeView,
  group: groupView,
  dataset: datasetView,
  solution: solutionView,
  campaign: campaignView,
  recommender: recommenderView,
  batch: batchJobView,
  try: tryView,
};

const main = document.getElementById('view')!;
const crumbs = document.getElementById('crumbs')!;
const clock = document.getElementById('clock')!;
let health: Health | undefined;
/** What a clock move refreshes: the current view's own refresh, else the whole view. */
let onClock: (() => void) | undefined;
let rendering = 0;

async function render(): Promise<void> {
  const ticket = ++rendering;
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const slash = path!.indexOf('/');
  const kind = slash < 0 ? path! : path!.slice(0, slash);
  const arn = slash < 0 ? '' : decodeURIComponent(path!.slice(slash + 1));
  const view = VIEWS[kind];
  onClock = undefined;
  const ctx: ViewContext = {
    health: () => health,
    crumbs: (list) => fill(crumbs, list.map(([label, href], i) => [i ? h('span', { class: 'sep' }, '›') : null, href ? h('a', { href }, label) : h('span', null, label)])),
    onClock: (f) => { onClock = f; },
    refreshClock: () => refreshClock(),
  };
  ctx.crumbs([['Dataset groups', '#/']]);
  fill(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    if (!view) throw new ApiError(404, 'NotFound', `No such page: #/${kind}.`);
    const el = await view(arn, new URLSearchParams(query), ctx);
    if (ticket === rendering) fill(main, el);
  } catch (err) {
    if (ticket === rendering) fill(main, errorBox(err));
  }
}

async function refreshClock(): Promise<void> {
  try {
    health = await local.health();
  } catch (err) {
    fill(clock, h('span', { class: 'muted' }, `server not answering: ${(err as Error).message}`));
    return;
  }
  const advance = async (seconds: number) => {
    try {
      await local.advanceClock(seconds);
      await refreshClock();
      if (onClock) onClock(); else void render();
    } catch (err) {
      fill(main, errorBox(err));
    }
  };
  const step = (label: string, seconds: number) => h('button', { class: 'small', title: `POST /_personalize/clock {"advanceSeconds": ${seconds}}`, onclick: () => void advance(seconds), 'data-test': `clock-${label}` }, `+${label}`);
  fill(clock,
    h('span', { class: 'now', title: 'the server clock (UTC): statuses, trending windows and automatic updates follow it', 'data-test': 'server-time' }, `server time ${time(health.now)} UTC`),
    health.clockCanAdvance ? [step('1h', 3600), step('1d', 86400), step('7d', 7 * 86400)] : null);
}

window.addEventListener('hashchange', () => void render());
void refreshClock().then(render);
