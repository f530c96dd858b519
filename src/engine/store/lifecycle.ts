// What a Describe shows: the real status (immediate and background transitions), held back in `realistic`
// mode so that CREATE PENDING and CREATE IN_PROGRESS stay visible for the configured time on the clock.
import type { ResolvedOptions } from '../config.js';
import type { ResourceRecord } from './types.js';

const IN_FLIGHT = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS', 'PENDING', 'IN PROGRESS', 'IN_PROGRESS']);

export function isFinal(status: string | undefined): boolean {
  return status !== undefined && !IN_FLIGHT.has(status);
}

/** Batch jobs and deletion jobs spell their in-flight states differently. */
function spelling(kind: ResourceRecord['kind']): { pending: string; inProgress: string } {
  if (kind === 'batchInferenceJob' || kind === 'batchSegmentJob') return { pending: 'PENDING', inProgress: 'IN PROGRESS' };
  if (kind === 'dataDeletionJob') return { pending: 'PENDING', inProgress: 'IN_PROGRESS' };
  return { pending: 'CREATE PENDING', inProgress: 'CREATE IN_PROGRESS' };
}

export function displayStatus(rec: ResourceRecord, now: number, t: ResolvedOptions['transitions']): string | undefined {
  const status = rec.status;
  if (status === undefined || t.mode !== 'realistic') return status;
  const { pending, inProgress } = spelling(rec.kind);
  const age = (now - rec.createdAt) / 1000;
  if (!status.startsWith('CREATE') && !IN_FLIGHT.has(status) && status !== 'ACTIVE' && status !== 'COMPLETED') return status;
  if (age < t.pendingSeconds) return pending;
  if (!isFinal(status)) return status === pending ? pending : inProgress;
  if (age < t.pendingSeconds + t.inProgressSeconds) return inProgress;
  return status;
}
