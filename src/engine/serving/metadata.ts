// metadataColumns: item metadata returned with recommendations (values as strings, as Personalize sends
// them), when the campaign or recommender enables it; at most 50 results and 10 columns then.
import type { Engine } from '../core/engine.js';
import { InvalidInputException } from '../errors.js';
import { dataVersion, datasetRows, groupDataset } from '../core/group-data.js';
import type { ServingModel } from '../store/model-store.js';
import { setOwn } from '../../lib/own.js';

const cache = new WeakMap<ServingModel, { version: number; columns: Map<string, (string | undefined)[]> }>();

function columnStrings(e: Engine, m: ServingModel, groupArn: string, name: string): (string | undefined)[] {
  const ds = groupDataset(e, groupArn, 'ITEMS')!;
  const version = dataVersion(ds);
  let c = cache.get(m);
  if (!c || c.version !== version) cache.set(m, (c = { version, columns: new Map() }));
  let values = c.columns.get(name);
  if (!values) {
    const { batch } = datasetRows(e, ds);
    const ids = batch.columns.ITEM_ID as { dictionary: string[]; codes: Int32Array };
    const col = batch.columns[name]!;
    values = new Array<string | undefined>(m.bundle.itemIds.length);
    for (let r = 0; r < batch.rowCount; r++) {
      const i = m.itemIndex.get(ids.dictionary[ids.codes[r]!]!);
      if (i === undefined) continue;
      if (col.type === 'string') values[i] = col.codes[r]! < 0 ? undefined : col.dictionary[col.codes[r]!];
      else values[i] = col.nulls?.[r] ? undefined : col.type === 'boolean' ? String(col.values[r] === 1) : String(col.values[r]);
    }
    c.columns.set(name, values);
  }
  return values;
}

/** A reader of the requested item metadata, or undefined when none was requested. Checks Personalize's rules. */
export function metadataReader(
  e: Engine, m: ServingModel, groupArn: string, requested: Record<string, string[]> | undefined, resultCount: number, enabled: boolean | undefined,
): ((item: number) => Record<string, string>) | undefined {
  if (!requested || !Object.keys(requested).length) return undefined;
  if (!enabled) throw new InvalidInputException('metadataColumns needs enableMetadataWithRecommendations: true in the campaign (or recommender) config.');
  const keys = Object.keys(requested);
  if (keys.some((k) => k !== 'ITEMS')) throw new InvalidInputException(`metadataColumns takes only the key ITEMS (got ${keys.join(', ')}).`);
  const cols = requested.ITEMS!;
  if (cols.length > 10) throw new InvalidInputException(`metadataColumns.ITEMS has ${cols.length} columns; at most 10 are allowed.`);
  if (resultCount > 50) throw new InvalidInputException(`With metadataColumns at most 50 items can be returned (asked for ${resultCount}).`);
  const ds = groupDataset(e, groupArn, 'ITEMS');
  if (!ds) throw new InvalidInputException('metadataColumns needs an Items dataset in the dataset group.');
  const fields = new Set(datasetRows(e, ds).fields.map((f) => f.name));
  for (const c of cols) if (!fields.has(c)) throw new InvalidInputException(`metadataColumns.ITEMS names ${c}, which is not a column of the Items schema (${[...fields].join(', ')}).`);
  const values = cols.map((c) => columnStrings(e, m, groupArn, c));
  return (item) => {
    const out: Record<string, string> = {};
    cols.forEach((c, k) => {
      const v = values[k]![item];
      if (v !== undefined) setOwn(out, c, v); // a column may be named `__proto__`
    });
    return out;
  };
}
