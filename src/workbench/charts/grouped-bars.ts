// Grouped bars with 95% interval whiskers: one group per segment (users by history length, head / tail
// items), one bar per configuration.
import type { Spec } from 'vega';
import { base, colorLegend, colorScale } from './common.js';

export interface GroupedBar { group: string; configuration: string; mean: number; low: number; high: number }

export function groupedBarsSpec(bars: GroupedBar[], configurations: string[], opts: { title: string; groupTitle: string; valueTitle: string; format?: string }): Spec {
  const groups = [...new Set(bars.map((b) => b.group))];
  return {
    ...base(opts.title, 420, 240),
    data: [{ name: 'bars', values: bars }],
    scales: [
      { name: 'x', type: 'band', domain: groups, range: 'width', padding: 0.2 },
      { name: 'y', type: 'linear', domain: { data: 'bars', fields: ['high', 'mean'] }, range: 'height', nice: true, zero: true },
      colorScale(configurations),
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: opts.groupTitle },
      { orient: 'left', scale: 'y', title: opts.valueTitle, grid: true, format: opts.format ?? '.3f' },
    ],
    legends: [colorLegend()],
    marks: [{
      type: 'group',
      from: { facet: { name: 'inGroup', data: 'bars', groupby: 'group' } },
      encode: { enter: { x: { scale: 'x', field: 'group' }, width: { scale: 'x', band: 1 } } },
      signals: [{ name: 'groupWidth', update: 'bandwidth("x")' }],
      scales: [{ name: 'inner', type: 'band', domain: configurations, range: [0, { signal: 'groupWidth' }], padding: 0.1 }],
      marks: [
        { type: 'rect', from: { data: 'inGroup' }, encode: { enter: {
          x: { scale: 'inner', field: 'configuration' }, width: { scale: 'inner', band: 1 },
          y: { scale: 'y', field: 'mean' }, y2: { scale: 'y', value: 0 },
          fill: { scale: 'color', field: 'configuration' },
        } } },
        { type: 'rule', from: { data: 'inGroup' }, encode: { enter: {
          x: { scale: 'inner', field: 'configuration', band: 0.5 },
          y: { scale: 'y', field: 'low' }, y2: { scale: 'y', field: 'high' }, stroke: { value: '#333' }, strokeWidth: { value: 1.2 },
        } } },
      ],
    }],
  };
}
