// Automatic training (performAutoTraining): on the clock, every `rate(N days)` (default 7), starting one
// hour after the solution was created, a new version trains if interactions changed since the last one.
import type { Engine } from '../core/engine.js';
import type { ResourceRecord } from '../store/types.js';
import { createSolutionVersion, interactionChanges } from './solutions.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function periodDays(sol: ResourceRecord): number {
  const expr = (sol.props.solutionConfig as { autoTrainingConfig?: { schedulingExpression?: string } } | undefined)?.autoTrainingConfig?.schedulingExpression;
  const m = expr ? /^rate\((\d+) days?\)$/.exec(expr) : null;
  return m ? Number(m[1]) : 7;
}

/**
 * Start the automatic trainings that are due; called before each operation, so a manual clock drives it.
 * Returns the clock time of the next slot to check (Infinity when none), so callers can skip until then.
 */
export async function runDueAutoTraining(e: Engine): Promise<number> {
  let next = Infinity;
  for (const sol of e.store.list('solution')) {
    if (!sol.props.performAutoTraining || e.status(sol) !== 'ACTIVE') continue;
    const versions = e.store.list('solutionVersion', sol.arn);
    if (versions.some((v) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'CREATE STOPPING'].includes(e.status(v)!))) continue;
    // A manual version in the first hour takes the place of the first automatic run.
    const early = versions.find((v) => v.props.trainingType === 'MANUAL' && v.createdAt <= sol.createdAt + HOUR);
    const anchor = early ? early.createdAt + periodDays(sol) * DAY : sol.createdAt + HOUR;
    const now = e.now();
    const period = periodDays(sol) * DAY;
    const slot = now < anchor ? -1 : Math.floor((now - anchor) / period);
    next = Math.min(next, anchor + (slot + 1) * period);
    if (slot < 0 || slot <= ((sol.props.autoTrainingSlot as number | undefined) ?? -1)) continue;
    e.update(sol, { props: { ...sol.props, autoTrainingSlot: slot } });
    const last = versions.at(-1);
    const changes = interactionChanges(e, sol.props.datasetGroupArn as string);
    if (last && changes <= ((last.props.interactionChanges as number | undefined) ?? 0)) continue; // no new data
    try {
      await createSolutionVersion(e, { solutionArn: sol.arn }, 'AUTOMATIC');
    } catch (err) {
      // Refused before a version existed (e.g. too many versions training): keep why on the solution.
      e.update(sol, { props: { ...sol.props, autoTrainingFailure: (err as Error).message } });
    }
  }
  return next;
}
