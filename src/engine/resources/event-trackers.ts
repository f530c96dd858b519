// CreateEventTracker / DeleteEventTracker: one tracker per dataset group; its trackingId feeds PutEvents.
import type { Engine } from '../core/engine.js';
import { ResourceAlreadyExistsException, ResourceNotFoundException } from '../errors.js';
import type { ResourceRecord, Tag } from '../store/types.js';

export function createEventTracker(e: Engine, input: { name: string; datasetGroupArn: string; tags?: Tag[] }): { eventTrackerArn: string; trackingId: string } {
  const name = e.checkName('name', input.name);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  e.requireStatus(group, ['ACTIVE'], 'add an event tracker to it');
  const existing = e.store.list('eventTracker', group.arn);
  if (existing.length) {
    throw new ResourceAlreadyExistsException(`The dataset group ${group.arn} already has an event tracker (${existing[0]!.arn}); a group has at most one.`);
  }
  if (e.store.list('eventTracker').some((t) => t.name === name)) {
    throw new ResourceAlreadyExistsException(`An event tracker named "${name}" already exists.`);
  }
  let id = e.randomHex(8);
  while (e.store.find(e.arns.make('eventTracker', id))) id = e.randomHex(8);
  const arn = e.arns.make('eventTracker', id);
  const trackingId = e.randomUuid();
  e.create('eventTracker', arn, name, { datasetGroupArn: group.arn, trackingId, accountId: e.opts.accountId }, { parentArn: group.arn, status: 'ACTIVE', tags: input.tags });
  return { eventTrackerArn: arn, trackingId };
}

export function deleteEventTracker(e: Engine, arn: string): void {
  e.store.get('eventTracker', arn);
  e.store.remove(arn); // the events it recorded stay in the interactions dataset
}

export function trackerByTrackingId(e: Engine, trackingId: string): ResourceRecord {
  const t = e.store.list('eventTracker').find((r) => r.props.trackingId === trackingId);
  if (!t) throw new ResourceNotFoundException(`No event tracker has trackingId ${trackingId}. Use the trackingId returned by CreateEventTracker.`);
  return t;
}
