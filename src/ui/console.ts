// The console's entry: routes (#/kind/arn?params) to views, the breadcrumbs, and the server clock control.
import { ApiError, local, useRegion, type Health } from './api.js';
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
/** The region the console shows (its calls are served in it), kept across visits. */
let region: string | undefined;
const REGION_KEY = 'personalize-local.region';

/**
 * The region to show: the one picked before while it still holds resources (or is the server's default), else
 * the default when it holds resources or nothing does, else the first that does: a boto3 user on eu-west-1
 * opens the console and sees their resources, not an empty us-east-1.
 */
function pickRegion(hl: Health): string | undefined {
  if (!hl.region) return undefined;
  const held = hl.regions ?? [];
  const known = new Set([hl.region, ...held]);
  const saved = region ?? localStorage.getItem(REGION_KEY) ?? undefined;
  if (saved && known.has(saved)) return saved;
  return held.length === 0 || held.includes(hl.region) ? hl.region : held[0];
}

function regionControl(hl: Health): Node | null {
  if (!region) return null;
  const options = [...new Set([hl.region!, ...(hl.regions ?? [])])].sort();
  if (options.length < 2) return h('span', { class: 'muted', title: 'the region the console\'s API calls are served in', 'data-test': 'region' }, region);
  return h('label', { class: 'muted', title: 'the region the console\'s API calls are served in (resources of other regions are not visible from it, as on AWS)' }, 'region ',
    h('select', {
      'data-test': 'region', onchange: (ev: Event) => {
        region = (ev.target as HTMLSelectElement).value;
        localStorage.setItem(REGION_KEY, region);
        useRegion(region);
        location.hash = '#/';
        void render();
      },
    }, options.map((r) => h('option', { value: r, selected: r === region }, r))));
}

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
  region = pickRegion(health);
  useRegion(region);
  const step = (label: string, seconds: number) => h('button', { class: 'small', title: `POST /_personalize/clock {"advanceSeconds": ${seconds}}`, onclick: () => void advance(seconds), 'data-test': `clock-${label}` }, `+${label}`);
  fill(clock,
    regionControl(health),
    h('span', { class: 'now', title: 'the server clock (UTC): statuses, trending windows and automatic updates follow it', 'data-test': 'server-time' }, `server time ${time(health.now)} UTC`),
    health.clockCanAdvance ? [step('1h', 3600), step('1d', 86400), step('7d', 7 * 86400)] : null);
}

// Each page asks the server's health again first: the clock moved, or a script created resources in a new region.
window.addEventListener('hashchange', () => void refreshClock().then(render));
void refreshClock().then(render);
