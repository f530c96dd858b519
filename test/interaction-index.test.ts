// A user's interaction history for filters and exclusions: imported rows and streamed events together,
// oldest first by timestamp, the 100 most recent per event type; streamed events extend it in place and
// an import or deletion rebuilds it.
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPersonalize } from '../src/index.js';
import { INTERACTIONS_SCHEMA, tempDir, writeCsv } from './helpers/data.js';

const clients: LocalPersonalize[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

async function setup() {
  const p = new LocalPersonalize({ inMemory: true });
  clients.push(p);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let k = 0; k < 100; k++) lines.push(`u,bought-${k},${1000 + k},purchase`);
  lines.push('u,seen,1050,click', 'other,x,1,purchase');
  const csv = writeCsv(tempDir(), 'i.csv', lines.join('\n'));
  const { schemaArn } = await p.createSchema({ name: 'i', schema: INTERACTIONS_SCHEMA });
  const { datasetGroupArn } = await p.createDatasetGroup({ name: 'g' });
  const { datasetArn } = await p.createDataset({ name: 'i', schemaArn, datasetGroupArn, datasetType: 'Interactions' });
  await p.createDatasetImportJob({ jobName: 'i', datasetArn, dataSource: { dataLocation: csv } });
  const { trackingId } = await p.createEventTracker({ name: 't', datasetGroupArn });
  const history = (user = 'u') => p.engine.interactions.of(datasetArn, user);
  const put = (itemId: string, sentAt: number, eventType = 'purchase') =>
    p.putEvents({ trackingId, userId: 'u', sessionId: 's', eventList: [{ eventType, itemId, sentAt }] });
  return { p, datasetArn, history, put };
}

describe('interaction history', () => {
  it('places streamed events by time among imported ones and keeps the 100 most recent per event type', async () => {
    const { history, put } = await setup();
    expect(history().itemIds).toHaveLength(101);
    await put('older', 500); // before every import row: the 101st most recent purchase, left out
    let h = history();
    expect(h.itemIds).not.toContain('older');
    expect(h.itemIds[0]).toBe('bought-0');
    await put('newest', 5000); // pushes bought-0 out of the window
    await put('between', 1050, 'click');
    h = history();
    expect(h.itemIds[0]).toBe('bought-1');
    expect(h.itemIds.at(-1)).toBe('newest');
    expect(h.itemIds.indexOf('between')).toBe(h.itemIds.indexOf('seen') + 1); // same time: stream order after import order
    expect(history('other').itemIds).toEqual(['x']);
  });

  it('starts again from the stored rows after an import replaces them', async () => {
    const { p, datasetArn, history, put } = await setup();
    await put('streamed', 9000);
    const csv = writeCsv(tempDir(), 'j.csv', ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE', 'u,only,1,click'].join('\n'));
    await p.createDatasetImportJob({ jobName: 'j', datasetArn, dataSource: { dataLocation: csv }, importMode: 'FULL' });
    expect(history().itemIds).toEqual(['only', 'streamed']);
  });
});
