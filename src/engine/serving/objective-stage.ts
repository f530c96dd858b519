// Finds a model's optimization-objective stage: the solution version's objective and its Items column,
// aligned with the model's item numbering and normalized once per Items data version (formula: objective.ts).
import type { Engine } from '../core/engine.js';
import type { ServingModel } from '../store/model-store.js';
import { itemFilterContext } from './filter-context.js';
import { normalizeAttribute, objectiveWeight, type ObjectiveStage, type OptimizationObjective } from '../training/objective.js';

// Normalized columns, keyed by the filter context's aligned values (replaced when the Items data changes).
const normalized = new WeakMap<Float64Array, Float32Array>();

/**
 * The stage for a model trained with `cfg.optimizationObjective` (undefined when absent or OFF). The
 * attribute comes from the group's current Items dataset, aligned with the model's item numbering.
 */
export function objectiveStageFor(
  e: Engine, m: ServingModel, groupArn: string, cfg: { optimizationObjective?: OptimizationObjective } | undefined,
): ObjectiveStage | undefined {
  const o = cfg?.optimizationObjective;
  const lambda = objectiveWeight(o);
  if (!(lambda > 0)) return undefined;
  const col = itemFilterContext(e, m, groupArn, undefined).column(o!.itemAttribute!);
  if (!col || col.kind !== 'numeric') return undefined; // the column was validated at CreateSolution; a later schema may lack it
  let attribute = normalized.get(col.values);
  if (!attribute) normalized.set(col.values, (attribute = normalizeAttribute(col.values)));
  return { attribute, lambda };
}

/** The stage of a solution version's objective (its solutionConfig), for campaigns and batch jobs. */
export function versionObjective(e: Engine, m: ServingModel, versionArn: string): ObjectiveStage | undefined {
  const v = e.store.find(versionArn);
  if (!v) return undefined;
  return objectiveStageFor(e, m, v.props.datasetGroupArn as string, v.props.solutionConfig as { optimizationObjective?: OptimizationObjective } | undefined);
}
