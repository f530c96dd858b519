// PutEvents, PutItems, PutUsers: streamed records, validated as a whole batch (one bad record stores
// none), then appended durably to the dataset's `put` part before the call returns.
import type { Engine } from '../core/engine.js';
import { convertValue, fieldForKey, parseProperties, rowsToBatch } from '../data/records.js';
import { InvalidInputException, ResourceInUseException, ResourceNotFoundException } from '../errors.js';
import { datasetFields, datasetType, groupDataset, noteDataChange } from '../core/group-data.js';
import { trackerByTrackingId } from './event-trackers.js';

type Row = Record<string, string | number | boolean | null>;

const FORBIDDEN = new Set(['userid', 'sessionid', 'eventtype', 'timestamp', 'recommendationid', 'impression']);
/** Interaction columns PutEvents fills from the event's own members, never from `properties`. */
const FROM_EVENT = new Set(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE', 'IMPRESSION', 'RECOMMENDATION_ID', 'EVENT_ATTRIBUTION_SOURCE']);

/** sentAt as epoch seconds: the SDK sends numbers; ISO strings pass through unchanged (sdk-protocol.md §3). */
function epochSeconds(v: unknown, where: string, member = 'sentAt'): number {
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) / 1000 : NaN;
  if (!Number.isFinite(t) || t < 0) throw new InvalidInputException(`${where}.${member} must be a timestamp (epoch seconds or an ISO 8601 string), got ${JSON.stringify(v)}.`);
  return Math.floor(t);
}

export interface PutEventsInput {
  trackingId: string;
  userId?: string;
  sessionId: string;
  eventList: {
    eventType: string; sentAt: unknown; eventId?: string; eventValue?: number; itemId?: string; properties?: string;
    recommendationId?: string; impression?: string[]; metricAttribution?: { eventAttributionSource: string };
  }[];
}

export function putEvents(e: Engine, input: PutEventsInput): void {
  const tracker = trackerByTrackingId(e, input.trackingId);
  e.requireStatus(tracker, ['ACTIVE'], 'record events');
  const ds = groupDataset(e, tracker.parentArn!, 'INTERACTIONS');
  if (!ds) throw new InvalidInputException(`The dataset group ${tracker.parentArn} has no Interactions dataset to record events in; create one first.`);
  const fields = datasetFields(e, ds);
  const has = new Set(fields.map((f) => f.name));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const seen = e.eventIds(tracker.parentArn!);
  const rows: Row[] = [];
  const newIds: string[] = [];
  input.eventList.forEach((ev, i) => {
    const where = `eventList[${i}]`;
    if (ev.eventType.length < 1) throw new InvalidInputException(`${where}.eventType must not be empty.`);
    if (ev.recommendationId !== undefined && ev.recommendationId.length > 40) throw new InvalidInputException(`${where}.recommendationId is longer than 40 characters.`);
    const row: Row = {};
    const set = (name: string, v: unknown) => { if (has.has(name)) row[name] = convertValue(byName.get(name)!, v, where); };
    // Anonymous sessions are stored under the sessionId: GetRecommendations with userId = sessionId finds them.
    set('USER_ID', input.userId ?? input.sessionId);
    if (ev.itemId === undefined && has.has('ITEM_ID')) throw new InvalidInputException(`${where}.itemId is required: the Interactions schema has ITEM_ID.`);
    set('ITEM_ID', ev.itemId);
    set('TIMESTAMP', epochSeconds(ev.sentAt, where));
    set('EVENT_TYPE', ev.eventType);
    if (ev.eventValue !== undefined) {
      if (!has.has('EVENT_VALUE')) throw new InvalidInputException(`${where}.eventValue was given but the Interactions schema has no EVENT_VALUE field.`);
      set('EVENT_VALUE', ev.eventValue);
    }
    if (ev.impression?.length) set('IMPRESSION', ev.impression.join('|'));
    if (ev.recommendationId !== undefined) set('RECOMMENDATION_ID', ev.recommendationId);
    if (ev.metricAttribution) set('EVENT_ATTRIBUTION_SOURCE', ev.metricAttribution.eventAttributionSource);
    for (const [k, v] of Object.entries(parseProperties(ev.properties, where, 1024))) {
      if (FORBIDDEN.has(k.toLowerCase())) throw new InvalidInputException(`${where}.properties may not contain "${k}": it is a member of the event itself.`);
      const f = fieldForKey(fields, k);
      if (!f || FROM_EVENT.has(f.name)) throw new InvalidInputException(`${where}.properties key "${k}" matches no custom column of the Interactions schema (keys are the camelCase column names).`);
      row[f.name] = convertValue(f, v, `${where}.properties`);
    }
    for (const f of fields) if (!(f.name in row)) row[f.name] = convertValue(f, null, where);
    // A repeated eventId is acknowledged but not stored again (Personalize does not train on it).
    if (ev.eventId !== undefined) {
      if (seen.has(ev.eventId) || newIds.includes(ev.eventId)) return;
      newIds.push(ev.eventId);
    }
    rows.push(row);
  });
  if (!rows.length) return;
  e.datasets.append(ds.arn, 'INTERACTIONS', 'put', rowsToBatch(fields, rows), fields);
  e.recordEventIds(tracker.parentArn!, newIds);
  noteDataChange(e, ds);
}

function putRecords(
  e: Engine, datasetArn: string, type: 'ITEMS' | 'USERS' | 'ACTIONS', idKey: 'itemId' | 'userId' | 'actionId', records: { properties?: string; [k: string]: unknown }[], listName: string, maxProps: number,
): void {
  const ds = e.store.get('dataset', datasetArn);
  if (datasetType(ds) !== type) throw new InvalidInputException(`${datasetArn} is the group's ${datasetType(ds)} dataset; ${listName} go to its ${type} dataset.`);
  const s = e.status(ds);
  if (s !== 'ACTIVE') throw new ResourceInUseException(`The dataset ${datasetArn} is ${s}; it must be ACTIVE.`);
  const fields = datasetFields(e, ds);
  const idField = type === 'ITEMS' ? 'ITEM_ID' : type === 'USERS' ? 'USER_ID' : 'ACTION_ID';
  const rows = records.map((r, i) => {
    const where = `${listName}[${i}]`;
    const row: Row = { [idField]: convertValue(fields.find((f) => f.name === idField)!, r[idKey], where) };
    for (const [k, v] of Object.entries(parseProperties(r.properties, where, maxProps))) {
      const f = fieldForKey(fields, k);
      if (!f || f.name === idField) throw new InvalidInputException(`${where}.properties key "${k}" matches no column of the ${type} schema (keys are the camelCase column names: ${fields.filter((x) => x.name !== idField).map((x) => x.name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())).join(', ')}).`);
      row[f.name] = convertValue(f, v, `${where}.properties`);
    }
    for (const f of fields) if (!(f.name in row)) row[f.name] = convertValue(f, null, where);
    return row;
  });
  e.datasets.append(ds.arn, type, 'put', rowsToBatch(fields, rows), fields);
  noteDataChange(e, ds);
}

export function putItems(e: Engine, input: { datasetArn: string; items: { itemId: string; properties?: string }[] }): void {
  putRecords(e, input.datasetArn, 'ITEMS', 'itemId', input.items, 'items', 32000);
}

export function putUsers(e: Engine, input: { datasetArn: string; users: { userId: string; properties?: string }[] }): void {
  putRecords(e, input.datasetArn, 'USERS', 'userId', input.users, 'users', 24000);
}

export function putActions(e: Engine, input: { datasetArn: string; actions: { actionId: string; properties?: string }[] }): void {
  putRecords(e, input.datasetArn, 'ACTIONS', 'actionId', input.actions, 'actions', 32000);
}

export interface PutActionInteractionsInput {
  trackingId: string;
  actionInteractions: {
    actionId: string; sessionId: string; timestamp: unknown; eventType: string; userId?: string; eventId?: string;
    recommendationId?: string; impression?: string[]; properties?: string;
  }[];
}

/** PutActionInteractions: the trackingId is the Action interactions dataset's own (see DescribeDataset). */
export function putActionInteractions(e: Engine, input: PutActionInteractionsInput): void {
  const ds = e.store.list('dataset').find((d) => d.props.trackingId === input.trackingId);
  if (!ds) throw new ResourceNotFoundException(`No Action interactions dataset has trackingId ${input.trackingId}; use the trackingId that DescribeDataset shows for it.`);
  const s = e.status(ds);
  if (s !== 'ACTIVE') throw new ResourceInUseException(`The dataset ${ds.arn} is ${s}; it must be ACTIVE.`);
  const fields = datasetFields(e, ds);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const rows = input.actionInteractions.map((a, i) => {
    const where = `actionInteractions[${i}]`;
    const row: Row = {};
    const set = (name: string, v: unknown) => { if (byName.has(name)) row[name] = convertValue(byName.get(name)!, v, where); };
    set('USER_ID', a.userId ?? a.sessionId);
    set('ACTION_ID', a.actionId);
    set('TIMESTAMP', epochSeconds(a.timestamp, where, 'timestamp'));
    set('EVENT_TYPE', a.eventType);
    if (a.recommendationId !== undefined) set('RECOMMENDATION_ID', a.recommendationId);
    if (a.impression?.length) set('IMPRESSION', a.impression.join('|'));
    for (const [k, v] of Object.entries(parseProperties(a.properties, where, 1024))) {
      if (FORBIDDEN.has(k.toLowerCase())) throw new InvalidInputException(`${where}.properties may not contain "${k}": it is a member of the interaction itself.`);
      const f = fieldForKey(fields, k);
      if (!f || ['USER_ID', 'ACTION_ID', 'TIMESTAMP', 'EVENT_TYPE', 'IMPRESSION', 'RECOMMENDATION_ID'].includes(f.name)) {
        throw new InvalidInputException(`${where}.properties key "${k}" matches no custom column of the Action interactions schema.`);
      }
      row[f.name] = convertValue(f, v, `${where}.properties`);
    }
    for (const f of fields) if (!(f.name in row)) row[f.name] = convertValue(f, null, where);
    return row;
  });
  e.datasets.append(ds.arn, 'ACTION_INTERACTIONS', 'put', rowsToBatch(fields, rows), fields);
  noteDataChange(e, ds);
}
