// One horizontal bar per configuration with a 95% interval whisker (training seconds, model size).
import type { Spec } from 'vega';
import { base, colorScale } from './common.js';

export interface Bar { configuration: string; mean: number; low: number; high: number }

export function horizontalBarsSpec(bars: Bar[], configurations: string[], opts: { title: string; valueTitle: string; format?: string }): Spec {
  return {
    ...base(opts.title, 420, Math.max(60, 28 * bars.length)),
    data: [{ name: 'bars', values: bars }],
    scales: [
      { name: 'y', type: 'band', domain: configurations, range: 'height', padding: 0.25 },
      { name: 'x', type: 'linear', domain: { data: 'bars', fields: ['high', 'mean'] }, range: 'width', nice: true, zero: true },
      colorScale(configurations),
    ],
    axes: [
      { orient: 'left', scale: 'y', labelLimit: 200 },
      { orient: 'bottom', scale: 'x', title: opts.valueTitle, grid: true, format: opts.format ?? '.2f' },
    ],
    marks: [
      { type: 'rect', from: { data: 'bars' }, encode: { enter: {
        y: { scale: 'y', field: 'configuration' }, height: { scale: 'y', band: 1 },
        x: { scale: 'x', field: 'mean' }, x2: { scale: 'x', value: 0 }, fill: { scale: 'color', field: 'configuration' },
      } } },
      { type: 'rule', from: { data: 'bars' }, encode: { enter: {
        y: { scale: 'y', field: 'configuration', band: 0.5 },
        x: { scale: 'x', field: 'low' }, x2: { scale: 'x', field: 'high' }, stroke: { value: '#333' }, strokeWidth: { value: 1.2 },
      } } },
    ],
  };
}
