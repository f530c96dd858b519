// The `context` of a runtime request (device, time of day...): its keys must be columns of the group's
// Interactions schema (contextual metadata), as Personalize requires.
import type { Engine } from '../core/engine.js';
import { InvalidInputException } from '../errors.js';
import { datasetFields, groupDataset } from '../core/group-data.js';

const NOT_CONTEXT = new Set(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE', 'IMPRESSION', 'RECOMMENDATION_ID', 'EVENT_ATTRIBUTION_SOURCE']);

export function checkContext(e: Engine, groupArn: string, context: Record<string, string> | undefined): void {
  const keys = Object.keys(context ?? {});
  if (!keys.length) return;
  if (keys.length > 150) throw new InvalidInputException(`context has ${keys.length} entries; at most 150 are allowed.`);
  const ds = groupDataset(e, groupArn, 'INTERACTIONS');
  const columns = ds ? datasetFields(e, ds).map((f) => f.name).filter((n) => !NOT_CONTEXT.has(n)) : [];
  for (const k of keys) {
    if (!columns.includes(k)) {
      throw new InvalidInputException(
        `context key ${k} is not a contextual column of the Interactions schema (${columns.length ? columns.join(', ') : 'it has none; add e.g. DEVICE_TYPE to the schema'}).`,
      );
    }
    if ((context![k] ?? '').length > 1000) throw new InvalidInputException(`context value of ${k} is longer than 1000 characters.`);
  }
}
