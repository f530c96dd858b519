// Metric attributions: which event types feed which business metrics (SUM of a numeric column, or a
// count), stored and validated against the group's schemas. One per dataset group.
import type { Engine } from '../core/engine.js';
import { InvalidInputException, ResourceAlreadyExistsException } from '../errors.js';
import type { ResourceRecord } from '../store/types.js';
import { datasetFields, groupDataset } from '../core/group-data.js';

export interface MetricAttribute { eventType: string; metricName: string; expression: string }
export interface MetricsOutputConfig { roleArn: string; s3DataDestination?: { path: string; kmsKeyArn?: string } }

const EXPRESSION = /^\s*(?:SAMPLECOUNT\(\s*\)|SUM\(\s*(Items|Interactions)\.([A-Za-z_][A-Za-z0-9_]*)\s*\))\s*$/i;

function checkMetrics(e: Engine, groupArn: string, metrics: MetricAttribute[]): void {
  if (metrics.length > 10) throw new InvalidInputException(`A metric attribution has at most 10 metrics (got ${metrics.length}).`);
  const names = new Set<string>();
  for (const [i, m] of metrics.entries()) {
    const where = `metrics[${i}]`;
    if (names.has(m.metricName)) throw new InvalidInputException(`${where}.metricName "${m.metricName}" is used twice; metric names must be unique.`);
    names.add(m.metricName);
    if (!m.eventType) throw new InvalidInputException(`${where}.eventType must not be empty.`);
    const x = EXPRESSION.exec(m.expression);
    if (!x) throw new InvalidInputException(`${where}.expression "${m.expression}" is not valid: use SUM(Items.<numeric column>), SUM(Interactions.<numeric column>) or SAMPLECOUNT().`);
    if (x[1]) {
      const ds = groupDataset(e, groupArn, x[1].toUpperCase() === 'ITEMS' ? 'ITEMS' : 'INTERACTIONS');
      const f = ds ? datasetFields(e, ds).find((c) => c.name === x[2]) : undefined;
      if (!f) throw new InvalidInputException(`${where}.expression refers to ${x[1]}.${x[2]}, which is not a column of the group's ${x[1]} dataset.`);
      if (f.type === 'string' || f.type === 'boolean') throw new InvalidInputException(`${where}.expression sums ${x[1]}.${x[2]}, which is not numeric.`);
    }
  }
}

export function createMetricAttribution(e: Engine, input: { name: string; datasetGroupArn: string; metrics: MetricAttribute[]; metricsOutputConfig: MetricsOutputConfig }): string {
  const name = e.checkName('name', input.name);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  const existing = e.store.list('metricAttribution', group.arn);
  if (existing.length) throw new ResourceAlreadyExistsException(`The dataset group already has a metric attribution (${existing[0]!.arn}); update it instead.`);
  checkMetrics(e, group.arn, input.metrics);
  const arn = e.arns.make('metricAttribution', name);
  e.create('metricAttribution', arn, name, { datasetGroupArn: group.arn, metrics: input.metrics, metricsOutputConfig: input.metricsOutputConfig }, { parentArn: group.arn, status: 'ACTIVE' });
  return arn;
}

export function updateMetricAttribution(
  e: Engine,
  input: { metricAttributionArn?: string; addMetrics?: MetricAttribute[]; removeMetrics?: string[]; metricsOutputConfig?: MetricsOutputConfig },
): string {
  if (!input.metricAttributionArn) throw new InvalidInputException('metricAttributionArn is required.');
  const rec = e.store.get('metricAttribution', input.metricAttributionArn);
  const current = rec.props.metrics as MetricAttribute[];
  const remove = new Set(input.removeMetrics ?? []);
  for (const m of remove) if (!current.some((c) => c.metricName === m)) throw new InvalidInputException(`removeMetrics names "${m}", which is not a metric of ${rec.arn}.`);
  const metrics = [...current.filter((m) => !remove.has(m.metricName)), ...(input.addMetrics ?? [])];
  checkMetrics(e, rec.parentArn!, metrics);
  e.update(rec, { props: { ...rec.props, metrics, metricsOutputConfig: input.metricsOutputConfig ?? rec.props.metricsOutputConfig } });
  return rec.arn;
}

export function metricsOf(rec: ResourceRecord): MetricAttribute[] {
  return rec.props.metrics as MetricAttribute[];
}
