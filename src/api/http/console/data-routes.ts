// The console's read-only JSON routes, for what no Personalize operation answers: a dataset's row counts and
// latest rows, users by history, a user's latest interactions, popular items, item metadata, batch output lines.
import type { Engine } from '../../../engine/core/engine.js';
import { InvalidInputException } from '../../../engine/errors.js';
import { datasetOverview } from '../../../engine/resources/inspect-datasets.js';
import { batchOutputPreview } from '../../../engine/resources/inspect-batch.js';
import { itemMetadata, popularItems, userInteractions, usersByHistory } from '../../../engine/resources/inspect-users.js';

export const DATA_PREFIX = '/_personalize/console/';

type Query = URLSearchParams;

interface DataRoute {
  method: 'GET' | 'POST';
  run(e: Engine, q: Query, body: () => Promise<Record<string, unknown>>): Promise<unknown> | unknown;
}

function required(q: Query, name: string): string {
  const v = q.get(name);
  if (!v) throw new InvalidInputException(`The query parameter ${name} is required.`);
  return v;
}

/** An optional whole-number parameter; the engine readers check its range. */
function integer(q: Query, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new InvalidInputException(`The query parameter ${name} must be a whole number (got ${JSON.stringify(v.slice(0, 40))}).`);
  return Number(v);
}

const ROUTES: Record<string, DataRoute> = {
  dataset: { method: 'GET', run: (e, q) => datasetOverview(e, required(q, 'datasetArn'), integer(q, 'limit')) },
  users: {
    method: 'GET',
    run: (e, q) => usersByHistory(e, required(q, 'datasetGroupArn'), { order: q.get('order') ?? undefined, prefix: q.get('prefix') ?? undefined, limit: integer(q, 'limit') }),
  },
  'user-interactions': { method: 'GET', run: (e, q) => userInteractions(e, required(q, 'datasetGroupArn'), required(q, 'userId'), integer(q, 'limit')) },
  'popular-items': { method: 'GET', run: (e, q) => popularItems(e, required(q, 'datasetGroupArn'), integer(q, 'limit')) },
  'item-metadata': {
    method: 'POST',
    run: async (e, _q, body) => {
      const b = await body();
      if (typeof b.datasetGroupArn !== 'string') throw new InvalidInputException('Send {"datasetGroupArn": "...", "itemIds": ["..."]}.');
      return itemMetadata(e, b.datasetGroupArn, b.itemIds);
    },
  },
  'batch-output': { method: 'GET', run: (e, q) => batchOutputPreview(e, required(q, 'jobArn'), integer(q, 'limit')) },
};

export const DATA_ROUTES = Object.keys(ROUTES).map((name) => `${ROUTES[name]!.method} ${DATA_PREFIX}${name}`);

/** The route's answer, or undefined when `name` is not one of the console's data routes. */
export function dataRoute(name: string): DataRoute | undefined {
  return Object.hasOwn(ROUTES, name) ? ROUTES[name] : undefined;
}
