// The evaluate command's terminal output: a live progress bar per running job on a TTY (cli-progress),
// one line per finished job otherwise, and the summary table (cli-table3).
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
import type { EvaluationProgress } from './evaluate.js';
import type { Comparison, Estimate, EvaluationResult } from './results.js';

/** Share of a job's bar each stage has reached (training reports no progress of its own). */
function barValue(stage: string, fraction: number): number {
  if (stage === 'train') return 5;
  if (stage === 'evaluate') return 30 + Math.round(60 * fraction);
  if (stage === 'serve') return 90 + Math.round(10 * fraction);
  return 100;
}

export interface TerminalProgress { onProgress(e: EvaluationProgress): void; stop(): void }

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): TerminalProgress {
  const tty = !!stream.isTTY;
  let jobs: { configuration: string; seed: number }[] = [];
  let finished = 0;
  const multi = tty ? new cliProgress.MultiBar({
    stream, clearOnComplete: true, hideCursor: true, barsize: 24, autopadding: true,
    format: ' {job} |{bar}| {stage}',
  }, cliProgress.Presets.shades_classic) : null;
  const bars = new Map<number, cliProgress.SingleBar>();
  const width = () => Math.max(...jobs.map((j) => j.configuration.length)) + 9;
  const label = (i: number) => `${jobs[i]!.configuration} seed ${jobs[i]!.seed}`.padEnd(width());
  const line = (text: string) => (multi ? multi.log(`${text}\n`) : stream.write(`${text}\n`));
  return {
    onProgress(e) {
      if (e.type === 'parsed') line(`read ${e.interactions.toLocaleString('en-US')} interactions in ${e.seconds.toFixed(2)} s`);
      else if (e.type === 'jobs') {
        jobs = e.jobs;
        line(`${e.jobs.length} jobs (configurations x seeds) on ${e.workers === 0 ? 'the main thread' : `${e.workers} worker thread(s)`}`);
      } else if (e.type === 'job') {
        if (e.stage === 'done') {
          if (!jobs[e.index]) return;
          const bar = bars.get(e.index);
          if (bar) { bar.stop(); multi!.remove(bar); bars.delete(e.index); }
          finished++;
          const r = e.result!;
          line(`[${String(finished).padStart(String(jobs.length).length)}/${jobs.length}] ${label(e.index)} NDCG@10 ${r.ndcg10.toFixed(4)}  trained in ${r.trainSeconds.toFixed(2)} s`);
          return;
        }
        if (!multi || !jobs[e.index]) return;
        let bar = bars.get(e.index);
        if (!bar) bars.set(e.index, (bar = multi.create(100, 0, { job: label(e.index), stage: e.stage })));
        bar.update(barValue(e.stage, e.fraction), { stage: e.stage === 'train' ? 'training' : e.stage === 'evaluate' ? 'scoring test users' : 'serving lists' });
      } else if (e.type === 'written') line(`wrote ${e.files.join(', ')}`);
    },
    stop() {
      multi?.stop();
    },
  };
}

// Rates cannot be negative: an interval reaching below 0 (few seeds) is shown from 0, as in the report.
const fmt = (e: Estimate | undefined, digits = 3) => (e && Number.isFinite(e.mean) ? `${e.mean.toFixed(digits)} [${Math.max(0, e.low).toFixed(digits)}, ${e.high.toFixed(digits)}]` : '-');
const pct = (e: Estimate | undefined) => (e ? `${(e.mean * 100).toFixed(1)}%` : '-');
function vs(c: Comparison | undefined): string {
  if (!c) return 'baseline';
  const p = c.pValue < 0.001 ? 'p<0.001' : `p=${c.pValue.toFixed(3)}`;
  return `${c.difference >= 0 ? '+' : ''}${c.difference.toFixed(4)} (${p})`;
}

/** The summary table of a finished evaluation, as text for a terminal. */
export function summaryTable(doc: EvaluationResult, opts: { color?: boolean } = {}): string {
  const table = new Table({
    head: ['configuration', 'NDCG@10 [95% interval]', 'precision@10', 'recall@25', 'coverage', 'NDCG@10 vs baseline', 'train s'],
    style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] },
  });
  for (const c of doc.configurations) {
    const m = c.model.metrics;
    table.push([c.name, fmt(m.normalized_discounted_cumulative_gain_at_10), fmt(m.precision_at_10), fmt(m.recall_at_25), pct(m.coverage),
      vs(c.model.comparison.normalized_discounted_cumulative_gain_at_10), doc.timing.trainSeconds[c.name]!.mean.toFixed(2)]);
  }
  const served = doc.configurations.filter((c) => c.served);
  let text = `baseline: ${doc.protocol.baseline}; ${doc.protocol.seeds.length} seed(s); paired t-test over the same test users\n${table.toString()}`;
  if (served.length) {
    const t = new Table({
      head: ['served lists', 'NDCG@10', 'served - model lists', 'coverage', 'already seen', 'explored'],
      style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] },
    });
    for (const c of served) {
      const s = c.served!;
      t.push([c.name, fmt(s.metrics.normalized_discounted_cumulative_gain_at_10), vs(s.versusModel.normalized_discounted_cumulative_gain_at_10),
        pct(s.metrics.coverage), pct(s.metrics.history_share_at_25), pct(s.metrics.explored_share_at_25)]);
    }
    text += `\n${t.toString()}`;
  }
  return text;
}
