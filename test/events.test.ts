// Event trackers and the events API: validation naming the record and field, all-or-nothing batches,
// eventId de-duplication, and durability (an acknowledged event survives a restart without close()).
import { appendFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFrames } from '../src/engine/data/frame-log.js';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA, tempDir } from './helpers/data.js';

const dir = tempDir();
const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

async function setup(opts: ConstructorParameters<typeof LocalPersonalize>[0] = { inMemory: true }) {
  const p = new LocalPersonalize(opts);
  clients.push(p);
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { schemaArn: itemsSchema } = await p.createSchema({ name: 'items', schema: ITEMS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'shop' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  const { datasetArn: itemsArn } = await p.createDataset({ name: 'items', schemaArn: itemsSchema, datasetGroupArn, datasetType: 'Items' });
  const { eventTrackerArn, trackingId } = await p.createEventTracker({ name: 'web', datasetGroupArn });
  return { p, datasetGroupArn, datasetArn, itemsArn, eventTrackerArn, trackingId };
}

const putRows = (p: LocalPersonalize, arn: string, type: 'INTERACTIONS' | 'ITEMS' = 'INTERACTIONS') => p.engine.datasets.get(arn, 'put', []);

describe('event trackers', () => {
  it('has one tracker per dataset group, with a UUID trackingId and an 8-hex ARN', async () => {
    const { p, datasetGroupArn, eventTrackerArn, trackingId } = await setup();
    expect(eventTrackerArn).toMatch(/^arn:aws:personalize:us-east-1:000000000000:event-tracker\/[0-9a-f]{8}$/);
    expect(trackingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { eventTracker } = await p.describeEventTracker({ eventTrackerArn });
    expect(eventTracker).toMatchObject({ name: 'web', trackingId, datasetGroupArn, status: 'ACTIVE', accountId: '000000000000' });
    await expect(p.createEventTracker({ name: 'second', datasetGroupArn })).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  });
});

describe('PutEvents', () => {
  it('appends events to the interactions dataset, keyed by userId, or by sessionId when anonymous', async () => {
    const { p, datasetArn, trackingId } = await setup();
    await p.putEvents({ trackingId, userId: 'u1', sessionId: 's1', eventList: [
      { eventType: 'click', itemId: 'i1', sentAt: new Date('2024-01-02T03:04:05.678Z') },
      { eventType: 'purchase', itemId: 'i2', sentAt: 1704164700 },
    ] });
    await p.putEvents({ trackingId, sessionId: 'anon-7', eventList: [{ eventType: 'click', itemId: 'i3', sentAt: '2024-01-02T03:05:00Z' }] });
    const rows = putRows(p, datasetArn);
    expect(rows.rowCount).toBe(3);
    const users = rows.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
    expect(Array.from(users.codes, (c) => users.dictionary[c])).toEqual(['u1', 'u1', 'anon-7']);
    expect(Array.from((rows.columns.TIMESTAMP as { values: Float64Array }).values)).toEqual([1704164645, 1704164700, 1704164700]);
  });

  it('rejects the whole batch when one event is bad, naming the event and the field', async () => {
    const { p, datasetArn, trackingId } = await setup();
    const attempt = p.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [
      { eventType: 'click', itemId: 'ok', sentAt: 1 },
      { eventType: 'click', sentAt: 2 },
    ] });
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/eventList\[1\]\.itemId is required/) });
    await expect(p.putEvents({ trackingId, sessionId: 's', eventList: [{ eventType: 'click', itemId: 'i', sentAt: 'not a date' }] }))
      .rejects.toMatchObject({ message: expect.stringMatching(/eventList\[0\]\.sentAt/) });
    await expect(p.putEvents({ trackingId, sessionId: 's', eventList: [{ eventType: 'click', itemId: 'i', sentAt: 1, properties: '{"userId":"x"}' }] }))
      .rejects.toMatchObject({ message: expect.stringMatching(/may not contain "userId"/) });
    await expect(p.putEvents({ trackingId, sessionId: 's', eventList: [{ eventType: 'click', itemId: 'i', sentAt: 1, properties: '{"device":"x"}' }] }))
      .rejects.toMatchObject({ message: expect.stringMatching(/"device" matches no custom column/) });
    await expect(p.putEvents({ trackingId, sessionId: 's', eventList: [] })).rejects.toMatchObject({ message: 'eventList needs at least 1 entry.' });
    await expect(p.putEvents({ trackingId: 'no-such-tracker', sessionId: 's', eventList: [{ eventType: 'c', itemId: 'i', sentAt: 1 }] }))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(putRows(p, datasetArn).rowCount).toBe(0);
  });

  it('stores a repeated eventId once', async () => {
    const { p, datasetArn, trackingId } = await setup();
    const ev = { eventType: 'click', itemId: 'i1', sentAt: 5, eventId: 'e-1' };
    await p.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [ev, ev] });
    await p.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [ev, { ...ev, eventId: 'e-2' }] });
    expect(putRows(p, datasetArn).rowCount).toBe(2);
  });

  it('keeps an acknowledged event when the process stops without closing', async () => {
    const dataDir = `${dir}/durable`;
    const { p, datasetArn, trackingId } = await setup({ dataDir });
    await p.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [{ eventType: 'click', itemId: 'i9', sentAt: 9, eventId: 'kept' }] });
    // No close(): a second engine opens the same directory as a restarted process would.
    const again = new LocalPersonalize({ dataDir });
    clients.push(again);
    expect(putRows(again, datasetArn).rowCount).toBe(1);
    await again.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [{ eventType: 'click', itemId: 'i9', sentAt: 9, eventId: 'kept' }] });
    expect(putRows(again, datasetArn).rowCount).toBe(1);
  });
});

describe('the streamed-rows log on disk', () => {
  const logOf = (dataDir: string, type: string) => join(dataDir, 'datasets', 'shop', type, 'put.arrows');

  it('appends one frame per call, and a reopened engine replays them with the latest item winning', async () => {
    const dataDir = `${dir}/log`;
    const { p, datasetArn, itemsArn, trackingId } = await setup({ dataDir });
    for (let i = 0; i < 3; i++) await p.putEvents({ trackingId, sessionId: 's', userId: `u${i}`, eventList: [{ eventType: 'click', itemId: `i${i}`, sentAt: i + 1 }] });
    await p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'a', properties: { genres: 'Comedy', creationTimestamp: 1 } }, { itemId: 'b', properties: { genres: 'Drama', creationTimestamp: 2 } }] });
    await p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'a', properties: { genres: 'Action', creationTimestamp: 3 } }] });
    expect(readFrames(logOf(dataDir, 'INTERACTIONS'))).toHaveLength(3);
    const again = new LocalPersonalize({ dataDir });
    clients.push(again);
    const events = putRows(again, datasetArn);
    const users = events.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
    expect(Array.from(users.codes, (c) => users.dictionary[c])).toEqual(['u0', 'u1', 'u2']);
    const items = putRows(again, itemsArn);
    const g = items.columns.GENRES as { dictionary: string[]; codes: Int32Array };
    expect(Array.from(g.codes, (c) => g.dictionary[c])).toEqual(['Action', 'Drama']);
  });

  it('ignores a frame cut short by a crash mid-append (that call was never acknowledged)', async () => {
    const dataDir = `${dir}/torn`;
    const { p, datasetArn, trackingId } = await setup({ dataDir });
    await p.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [{ eventType: 'click', itemId: 'i1', sentAt: 1 }] });
    const whole = readFrames(logOf(dataDir, 'INTERACTIONS'))[0]!;
    const torn = Buffer.alloc(4 + 10);
    torn.writeUInt32LE(whole.length, 0); // claims a whole frame, holds 10 bytes of it
    appendFileSync(logOf(dataDir, 'INTERACTIONS'), torn);
    const again = new LocalPersonalize({ dataDir });
    clients.push(again);
    expect(putRows(again, datasetArn).rowCount).toBe(1);
    // The torn bytes are cut before the next append, so what follows them is read back too.
    await again.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [{ eventType: 'click', itemId: 'i2', sentAt: 2 }] });
    const third = new LocalPersonalize({ dataDir });
    clients.push(third);
    expect(putRows(third, datasetArn).rowCount).toBe(2);
  });

  it('reads the single put.arrow file of an older state directory and moves it into the log', async () => {
    const dataDir = `${dir}/legacy`;
    const { p, datasetArn, trackingId } = await setup({ dataDir });
    await p.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [{ eventType: 'click', itemId: 'i1', sentAt: 1 }, { eventType: 'click', itemId: 'i2', sentAt: 2 }] });
    const log = logOf(dataDir, 'INTERACTIONS');
    writeFileSync(log.slice(0, -1), readFrames(log)[0]!); // the format before the log: one Arrow file
    rmSync(log);
    const again = new LocalPersonalize({ dataDir });
    clients.push(again);
    expect(putRows(again, datasetArn).rowCount).toBe(2);
    expect(existsSync(log.slice(0, -1))).toBe(false);
    await again.putEvents({ trackingId, sessionId: 's', userId: 'u', eventList: [{ eventType: 'click', itemId: 'i3', sentAt: 3 }] });
    expect(readFrames(log)).toHaveLength(2);
  });
});

describe('PutItems and PutUsers', () => {
  it('maps camelCase properties to schema columns and replaces a repeated id', async () => {
    const { p, itemsArn } = await setup();
    await p.putItems({ datasetArn: itemsArn, items: [
      { itemId: 'a', properties: JSON.stringify({ genres: 'Comedy|Drama', creationTimestamp: 1700000000 }) },
      { itemId: 'b', properties: JSON.stringify({ GENRES: 'Horror', creationTimestamp: '1700000001' }) },
    ] });
    await p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'a', properties: { genres: 'Action', creationTimestamp: 1700000002 } }] });
    const rows = putRows(p, itemsArn);
    expect(rows.rowCount).toBe(2);
    const g = rows.columns.GENRES as { dictionary: string[]; codes: Int32Array };
    expect(Array.from(g.codes, (c) => g.dictionary[c])).toEqual(['Action', 'Horror']);
  });

  it('rejects a bad record, naming it, and stores none of the batch', async () => {
    const { p, itemsArn, datasetArn } = await setup();
    await expect(p.putItems({ datasetArn: itemsArn, items: [
      { itemId: 'a', properties: JSON.stringify({ creationTimestamp: 1 }) },
      { itemId: 'b', properties: JSON.stringify({ creationTimestamp: 'soon' }) },
    ] })).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/items\[1\]\.properties: CREATION_TIMESTAMP must be a number/) });
    await expect(p.putItems({ datasetArn: itemsArn, items: [{ itemId: 'c' }] }))
      .rejects.toMatchObject({ message: expect.stringMatching(/items\[0\]: CREATION_TIMESTAMP is required/) });
    await expect(p.putItems({ datasetArn, items: [{ itemId: 'c' }] })).rejects.toMatchObject({ message: expect.stringMatching(/is the group's INTERACTIONS dataset/) });
    expect(putRows(p, itemsArn).rowCount).toBe(0);
  });
});

describe('PutActions and PutActionInteractions', () => {
  it("store actions, and action interactions under the dataset's own trackingId", async () => {
    const p = new LocalPersonalize({ inMemory: true });
    clients.push(p);
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'nba' });
    const { schemaArn: a } = await p.createSchema({ name: 'actions', schema: JSON.stringify({ type: 'record', name: 'Actions', fields: [{ name: 'ACTION_ID', type: 'string' }, { name: 'VALUE', type: ['null', 'long'] }, { name: 'CATEGORY', type: ['null', 'string'], categorical: true }] }) });
    const { schemaArn: ai } = await p.createSchema({ name: 'action-interactions', schema: JSON.stringify({ type: 'record', name: 'ActionInteractions', fields: [
      { name: 'USER_ID', type: 'string' }, { name: 'ACTION_ID', type: 'string' }, { name: 'EVENT_TYPE', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }] }) });
    const { datasetArn: actionsArn } = await p.createDataset({ name: 'a', schemaArn: a, datasetGroupArn, datasetType: 'Actions' });
    const { datasetArn: aiArn } = await p.createDataset({ name: 'ai', schemaArn: ai, datasetGroupArn, datasetType: 'Action_Interactions' });
    const { dataset } = await p.describeDataset({ datasetArn: aiArn });
    expect(dataset.trackingId).toMatch(/^[0-9a-f-]{36}$/);
    await p.putActions({ datasetArn: actionsArn, actions: [{ actionId: 'subscribe', properties: JSON.stringify({ value: 10 }) }] });
    await p.putActionInteractions({ trackingId: dataset.trackingId, actionInteractions: [{ actionId: 'subscribe', sessionId: 's', userId: 'u1', eventType: 'Taken', timestamp: 1700000000 }] });
    expect(p.engine.datasets.get(actionsArn, 'put', []).rowCount).toBe(1);
    expect(p.engine.datasets.get(aiArn, 'put', []).rowCount).toBe(1);
    await expect(p.putActionInteractions({ trackingId: dataset.trackingId, actionInteractions: [{ actionId: 'x', sessionId: 's', eventType: 'Taken', timestamp: 'later' }] }))
      .rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringMatching(/actionInteractions\[0\]\.timestamp/) });
  });
});

describe('context with contextual metadata', () => {
  it('accepts keys that are custom Interactions columns', async () => {
    const p = new LocalPersonalize({ inMemory: true, minimums: { interactions: 10, usersWithTwoInteractions: 2 } });
    clients.push(p);
    const { schemaArn } = await p.createSchema({ name: 'ctx', schema: JSON.stringify({ type: 'record', name: 'Interactions', fields: [
      { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'DEVICE', type: ['null', 'string'], categorical: true }] }) });
    const { datasetGroupArn } = await p.createDatasetGroup({ name: 'ctx' });
    const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
    const rows = ['USER_ID,ITEM_ID,TIMESTAMP,DEVICE', ...Array.from({ length: 30 }, (_, k) => `u${k % 6},i${k % 5},${k},mobile`)];
    const { writeCsv: write, tempDir: tmp } = await import('./helpers/data.js');
    await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: write(tmp(), 'ctx.csv', rows.join('\n')) } });
    const { solutionArn } = await p.createSolution({ name: 's', datasetGroupArn, performAutoTraining: false, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' });
    const { solutionVersionArn } = await p.createSolutionVersion({ solutionArn });
    const { campaignArn } = await p.createCampaign({ name: 'c', solutionVersionArn });
    expect((await p.getRecommendations({ campaignArn, userId: 'u1', context: { DEVICE: 'mobile' }, numResults: 3 })).itemList).toHaveLength(3);
    await expect(p.getRecommendations({ campaignArn, userId: 'u1', context: { TIMESTAMP: '1' } })).rejects.toMatchObject({ message: expect.stringMatching(/DEVICE/) });
  });
});
