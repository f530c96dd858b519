// One line of a batch segment job: an itemId, or an item-attribute query, -> the users most likely to
// interact, scored by a USER_SEGMENTATION model over all its users, narrowed by the job's UserID filter.
import { topK } from '../../lib/topk.js';
import { parseAttributeQuery } from '../../recipes/item-affinity.js';
import type { Engine } from '../core/engine.js';
import { itemFilterContext } from '../serving/filter-context.js';
import type { ServingModel } from '../store/model-store.js';
import { versionOwner } from '../serving/recommend.js';
import { userFilterContext } from '../serving/user-filter-context.js';
import { datasetFields, groupDataset } from '../core/group-data.js';
import { activeFilter } from '../serving/active-filter.js';
import type { AnswerSpec, LineAnswer } from './answer-spec.js';

/** The per-line answer of a job: input line -> `{recommendedUsers}`; throws for the line's own error. */
export function segmentAnswer(e: Engine, spec: Extract<AnswerSpec, { kind: 'segment' }>): LineAnswer {
  const { recipeName, filterArn, numResults, queryKey: key } = spec;
  const m = e.models.load(spec.solutionVersionArn);
  const owner = versionOwner(e, spec.solutionVersionArn);
  const userIds = m.bundle.userIds, nUsers = userIds.length;
  if (!m.model.scoreUsers) throw new Error(`The model of ${recipeName} cannot score users; retrain the solution version.`);
  const scoreUsers = m.model.scoreUsers.bind(m.model);
  const scores = new Float32Array(nUsers);
  const top = new Int32Array(Math.min(numResults, nUsers));
  // Users a data deletion job removed after training never appear in a segment (as for recommendations).
  const base = new Uint8Array(nUsers).fill(1);
  const deleted = (e.store.find(owner.groupArn)?.props.deletedUsers as Record<string, number> | undefined) ?? {};
  for (const [id, at] of Object.entries(deleted)) {
    const u = m.userIndex.get(id);
    if (u !== undefined && at >= owner.trainedAt) base[u] = 0;
  }
  const filter = filterArn ? activeFilter(e, filterArn, owner.groupArn) : undefined;
  const ctx = filter ? userFilterContext(e, m, owner.groupArn) : undefined;
  // Lines usually repeat the same filterValues (or none): reuse the last mask instead of re-filtering.
  let lastKey: string | null = null;
  const mask = new Uint8Array(nUsers);
  const maskFor = (filterValues: unknown): Uint8Array => {
    if (!filter) return base;
    if (filterValues !== undefined && (typeof filterValues !== 'object' || filterValues === null || Array.isArray(filterValues))) {
      throw new Error('"filterValues" must be an object of parameter names to quoted values, e.g. {"GENRES": "\\"comedy\\""}.');
    }
    const k = JSON.stringify(filterValues ?? {});
    if (k === lastKey) return mask;
    lastKey = null;
    mask.set(base);
    filter.apply(ctx!, { filterValues: filterValues as Record<string, string> | undefined }, mask);
    lastKey = k;
    return mask;
  };
  return (line) => {
    const q = line[key];
    if (typeof q !== 'string') throw new Error(`Each line needs "${key}" (a string) for an ${recipeName} solution version.`);
    const items = key === 'itemId' ? Int32Array.of(knownItem(m, q)) : attributeItems(e, m, owner.groupArn, q);
    const use = maskFor(line.filterValues);
    if (!scoreUsers(items, scores)) throw new Error(`The model has no factors for the query ${JSON.stringify(q)}.`);
    const found = topK(scores, use, top.length, top);
    const recommendedUsers: string[] = new Array(found);
    for (let r = 0; r < found; r++) recommendedUsers[r] = userIds[top[r]!]!;
    return { recommendedUsers };
  };
}

function knownItem(m: ServingModel, itemId: string): number {
  const i = m.itemIndex.get(itemId);
  if (i === undefined) throw new Error(`The item ${itemId} was not in the training data of this solution version; train a new version to segment users for it.`);
  return i;
}

/**
 * The model's items matching every `ITEMS.<column> = "<value>"` condition (column names case-insensitive,
 * values exact; a multi-valued categorical value matches when any of its `|` parts equals the value).
 * The Items data is read as it is now, over the items the model was trained on.
 */
function attributeItems(e: Engine, m: ServingModel, groupArn: string, query: string): Int32Array {
  const conds = parseAttributeQuery(query);
  const ds = groupDataset(e, groupArn, 'ITEMS');
  if (!ds) throw new Error('itemAttributes needs an Items dataset in the dataset group.');
  const fields = datasetFields(e, ds);
  const ctx = itemFilterContext(e, m, groupArn, undefined);
  const n = m.bundle.itemIds.length;
  const ok = new Uint8Array(n).fill(1);
  for (const c of conds) {
    const f = fields.find((x) => x.name.toLowerCase() === c.column.toLowerCase());
    if (!f) throw new Error(`itemAttributes: the Items dataset has no column ${c.column} (columns: ${fields.map((x) => x.name).join(', ')}).`);
    if (f.type !== 'string' || f.textual || f.name === 'ITEM_ID') throw new Error(`itemAttributes: ${f.name} is not a non-textual string metadata column; only = on such columns is supported.`);
    const col = ctx.column(f.name);
    if (!col || col.kind !== 'categorical') throw new Error(`itemAttributes: the Items dataset column ${f.name} has no values.`);
    const code = col.dictionary.indexOf(c.value);
    for (let i = 0; i < n; i++) {
      if (!ok[i]) continue;
      let hit = false;
      for (let p = col.ptr[i]!; p < col.ptr[i + 1]! && !hit; p++) hit = col.codes[p] === code;
      if (!hit) ok[i] = 0;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += ok[i]!;
  if (count === 0) throw new Error(`No item of this solution version's training data matches ${JSON.stringify(query)}.`);
  const items = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (ok[i]) items[k++] = i;
  return items;
}
