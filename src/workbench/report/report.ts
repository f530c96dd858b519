// report.html: one self-contained page (inline CSS and SVG, no script, no network) with the summary table,
// the charts, served-list and tuning sections, sample users' lists side by side, and the method.
import type { Comparison, Estimate, EvaluationResult, SampleUser } from '../results.js';
import { PALETTE } from '../charts/common.js';
import { figures } from './charts-of.js';
import { STYLE } from './style.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const LABEL: Record<string, string> = {
  normalized_discounted_cumulative_gain_at_10: 'NDCG@10', precision_at_10: 'precision@10', recall_at_25: 'recall@25',
  hit_rate_at_10: 'hit rate@10', mean_reciprocal_rank_at_25: 'MRR@25', coverage: 'coverage',
  popularity_percentile_at_25: 'popularity pct.', novelty_at_25: 'novelty (bits)',
  history_share_at_25: 'already seen', explored_share_at_25: 'explored slots',
};

function num(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}
function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–';
}
function pValue(p: number): string {
  return !Number.isFinite(p) ? '' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}
function bytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

/**
 * "0.100 [0.083, 0.118]". Every figure shown this way is a rate, a count or a duration: a t-interval reaching
 * below 0 (few seeds, much spread) is shown from 0; results.json keeps it as computed.
 */
function withInterval(e: Estimate | undefined, format: (x: number) => string = num): string {
  if (!e) return '–';
  const iv = e.low !== e.high ? `<span class="iv">[${format(Math.max(0, e.low))}, ${format(e.high)}]</span>` : '';
  return `${format(e.mean)} ${iv}`;
}

function versus(c: Comparison | undefined, format: (x: number) => string = num): string {
  if (!c) return '<span class="muted">baseline</span>';
  const sig = c.pValue < 0.05;
  const sign = c.difference > 0 ? '+' : '';
  const cls = !sig ? 'same' : c.difference > 0 ? 'better' : 'worse';
  return `<span class="${cls}">${sign}${format(c.difference)}</span> <span class="iv">${pValue(c.pValue)}, ${c.users} users</span>`;
}

function summaryTable(doc: EvaluationResult): string {
  const best = Math.max(...doc.configurations.map((c) => c.model.metrics.normalized_discounted_cumulative_gain_at_10!.mean));
  const cols = ['normalized_discounted_cumulative_gain_at_10', 'precision_at_10', 'recall_at_25', 'hit_rate_at_10', 'mean_reciprocal_rank_at_25'];
  const head = `<tr><th>configuration</th>${cols.map((k) => `<th>${LABEL[k]}</th>`).join('')}<th>coverage</th><th>popularity pct.</th><th>novelty</th>` +
    `<th>NDCG@10 vs baseline</th><th>model</th><th>training</th></tr>`;
  const rows = doc.configurations.map((c) => {
    const m = c.model.metrics;
    const isBest = m.normalized_discounted_cumulative_gain_at_10!.mean === best;
    return `<tr${isBest ? ' class="best"' : ''}><td class="name"><span class="swatch" style="background:${colorOf(doc, c.name)}"></span><b>${esc(c.name)}</b>` +
      `${c.recipe !== c.name || c.addedAsBaseline ? `<div class="muted">${[c.recipe !== c.name ? esc(c.recipe) : '', c.addedAsBaseline ? 'added as baseline' : ''].filter(Boolean).join(' · ')}</div>` : ''}</td>` +
      cols.map((k) => `<td>${withInterval(m[k])}</td>`).join('') +
      `<td>${withInterval(m.coverage, pct)}</td><td>${withInterval(m.popularity_percentile_at_25, (x) => num(x, 1))}</td><td>${withInterval(m.novelty_at_25, (x) => num(x, 2))}</td>` +
      `<td>${versus(c.model.comparison.normalized_discounted_cumulative_gain_at_10)}</td><td>${bytes(c.modelBytes.mean)}</td>` +
      `<td>${withInterval(doc.timing.trainSeconds[c.name], (x) => `${num(x, 2)} s`)}</td></tr>`;
  });
  return `<div class="wide"><table class="summary"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function colorOf(doc: EvaluationResult, name: string): string {
  return PALETTE[doc.configurations.findIndex((c) => c.name === name) % PALETTE.length]!;
}

function servedSection(doc: EvaluationResult): string {
  const served = doc.configurations.filter((c) => c.served);
  if (!served.length) return '';
  const rows = served.map((c) => {
    const s = c.served!, m = c.model.metrics;
    const cfg = [c.solution.campaignConfig ? `campaignConfig ${esc(JSON.stringify(c.solution.campaignConfig))}` : '',
      c.solution.filterExpression ? `filter <code>${esc(String(c.solution.filterExpression))}</code>` : ''].filter(Boolean).join('<br>');
    return `<tr><td><b>${esc(c.name)}</b><div class="muted">${cfg}</div></td>` +
      `<td>${withInterval(m.normalized_discounted_cumulative_gain_at_10)}</td><td>${withInterval(s.metrics.normalized_discounted_cumulative_gain_at_10)}</td>` +
      `<td>${versus(s.versusModel.normalized_discounted_cumulative_gain_at_10)}</td>` +
      `<td>${withInterval(m.coverage, pct)}</td><td>${withInterval(s.metrics.coverage, pct)}</td>` +
      `<td>${withInterval(s.metrics.history_share_at_25, pct)}</td><td>${withInterval(s.metrics.explored_share_at_25, pct)}</td></tr>`;
  });
  return `<section><h2>What your users would see</h2>
<p>Each test user's list as a campaign would serve it: the engine's serving pipeline with the configuration's filter,
ranking influence and exploration slots (Personalize's default explorationWeight of 0.3 for user-personalization
when none is given), <em>without</em> leaving the user's history out unless the filter does. Compared with the model's
lists of the same users (history left out), this measures what exploration and filters cost in accuracy and gain in coverage.</p>
<table class="summary"><thead><tr><th>configuration</th><th>NDCG@10 model lists</th><th>NDCG@10 served</th><th>served − model</th>
<th>coverage model</th><th>coverage served</th><th>served items already seen</th><th>explored slots</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function tuningSection(doc: EvaluationResult): string {
  const tuned = doc.configurations.filter((c) => c.tuning);
  if (!tuned.length) return '';
  const rows = tuned.flatMap((c) => c.tuning!.chosen.map((t) => `<tr><td>${esc(c.name)}</td><td>${t.seed}</td><td>${esc(t.recipe)}</td><td><code>${esc(JSON.stringify(t.params))}</code></td></tr>`));
  return `<section><h2>Tuning</h2><p>performHPO / performAutoML: candidates were trained on an inner split of each seed's training
part and the best by ${esc(tuned[0]!.tuning!.objective)} was kept, then scored on the held-out users like any configuration.</p>
<table class="summary"><thead><tr><th>configuration</th><th>seed</th><th>recipe</th><th>chosen</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function itemCell(id: string, meta: Record<string, Record<string, string>>, cls: string): string {
  const m = meta[id];
  const detail = m ? Object.values(m).join(' · ') : '';
  return `<li class="${cls}"><span class="id">${esc(id)}</span>${detail ? `<span class="meta">${esc(detail.replace(/\|/g, ', '))}</span>` : ''}</li>`;
}

function sampleCard(doc: EvaluationResult, u: SampleUser): string {
  const meta = doc.samples.itemMetadata;
  const relevant = new Set(u.relevant), seen = new Set(u.history);
  const list = (ids: string[] | undefined) => ids === undefined ? '<p class="muted">not a test user here</p>'
    : `<ol>${ids.map((id) => itemCell(id, meta, relevant.has(id) ? 'hit' : seen.has(id) ? 'seen' : '')).join('')}</ol>`;
  const cols = [
    `<div class="col"><h4>history <span class="muted">(newest ${u.history.length} of ${u.historyLength}, oldest first)</span></h4><ol class="plain">${u.history.map((id) => itemCell(id, meta, '')).join('')}</ol></div>`,
    `<div class="col"><h4>held out <span class="muted">(${u.relevant.length})</span></h4><ol class="plain">${u.relevant.slice(0, 15).map((id) => itemCell(id, meta, 'hit')).join('')}</ol></div>`,
    ...doc.configurations.flatMap((c) => {
      const l = u.lists[c.name];
      const cards = [`<div class="col"><h4><span class="swatch" style="background:${colorOf(doc, c.name)}"></span>${esc(c.name)}</h4>${list(l?.model)}</div>`];
      if (c.served) cards.push(`<div class="col"><h4><span class="swatch" style="background:${colorOf(doc, c.name)}"></span>${esc(c.name)} <span class="muted">served</span></h4>${list(l?.served)}</div>`);
      return cards;
    }),
  ];
  return `<div class="user"><h3>User ${esc(u.user)} <span class="muted">· ${u.historyLength} interactions given to the model · ${u.relevant.length} held out · seed ${u.seed}</span></h3><div class="cols">${cols.join('')}</div></div>`;
}

function methodSection(doc: EvaluationResult): string {
  const sp = doc.protocol.split;
  const split = sp.kind === 'time'
    ? `A global time split at ${esc(sp.cut)} (<code>${esc(sp.spec)}</code>): every interaction before the cut trains; users with interactions at or after it are the test users, their earlier interactions the input and the distinct later items the held-out truth. Seeds vary only the model's training.`
    : 'Personalize\'s split (as GetSolutionMetrics): 10% of the users with at least two interactions are held out per seed; each one\'s oldest 90% of interactions is given to the model, the newest 10% (distinct items) is the truth.';
  return `<section class="method"><h2>Method</h2><ul>
<li>${split} Seeds ${doc.protocol.seeds.join(', ')}.</li>
<li>Model lists are the top ${doc.protocol.listLength} with the input history left out (Personalize's metric names, computed as GetSolutionMetrics does); related-items recipes are asked with the newest history item.</li>
<li>Intervals: ${esc(doc.protocol.intervals)}.</li>
<li>Against the baseline: ${esc(doc.protocol.pairedTest)}. <span class="better">Green</span> / <span class="worse">red</span> differences have p &lt; 0.05.</li>
<li>Popularity percentile: where a recommended item ranks among all items by training users (100 = most popular), averaged over the list. Novelty: −log2 of the share of training users who had the item, averaged over the list.</li>
</ul></section>`;
}

export async function renderReport(doc: EvaluationResult): Promise<string> {
  const figs = await figures(doc);
  const inp = doc.input;
  const sp = doc.protocol.split;
  const splitText = sp.kind === 'time' ? `time split at ${esc(sp.cut)}` : 'Personalize\'s split';
  const files = [inp.interactions, inp.items, inp.users].filter(Boolean).map((d) => `${esc(d!.file)} (${d!.rows.toLocaleString('en-US')} rows)`).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline evaluation · ${esc(inp.interactions.file)}</title><style>${STYLE}</style></head>
<body><main>
<header><h1>Offline evaluation</h1>
<p class="lead">${doc.configurations.length} configurations · ${splitText} · ${doc.protocol.seeds.length} seed(s) · baseline <b>${esc(doc.protocol.baseline)}</b></p>
<p class="muted">${files} · ${inp.userCount.toLocaleString('en-US')} users · ${inp.itemCount.toLocaleString('en-US')} items · ${esc(doc.generator)}</p></header>
<section><h2>Summary</h2>${summaryTable(doc)}
<p class="muted">Means with 95% intervals in brackets. "vs baseline": each configuration's NDCG@10 minus ${esc(doc.protocol.baseline)}'s on the same test users, with the paired test's p-value. Model: the size of the model file; training: seconds per model.</p></section>
<section><h2>Charts</h2><div class="grid">${figs.map((f) => `<figure id="${f.id}">${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`).join('')}</div></section>
${servedSection(doc)}${tuningSection(doc)}
<section><h2>Sample users</h2><p>A few test users of seed ${doc.protocol.seeds[0]}, from short to long histories, with each configuration's top 10.
<span class="hit-key">Green</span>: a held-out item (a hit). <span class="seen-key">Grey</span>: an item already in the user's history.</p>
${doc.samples.users.map((u) => sampleCard(doc, u)).join('')}</section>
${methodSection(doc)}
</main></body></html>
`;
}
