// NDCG@K for K = 1..25 per configuration, with the 95% interval as a band.
import type { Spec } from 'vega';
import { base, colorLegend, colorScale } from './common.js';

export interface CurvePoint { configuration: string; k: number; mean: number; low: number; high: number }

export function ndcgCurveSpec(points: CurvePoint[], configurations: string[], title = 'NDCG@K'): Spec {
  return {
    ...base(title, 420, 260),
    data: [{ name: 'points', values: points }],
    scales: [
      { name: 'x', type: 'linear', domain: [1, 25], range: 'width', nice: false, zero: false },
      { name: 'y', type: 'linear', domain: { data: 'points', fields: ['low', 'high'] }, range: 'height', nice: true, zero: true },
      colorScale(configurations),
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'K (list length)', values: [1, 5, 10, 15, 20, 25] },
      { orient: 'left', scale: 'y', title: 'NDCG@K', grid: true, format: '.3f' },
    ],
    legends: [colorLegend()],
    marks: [{
      type: 'group',
      from: { facet: { name: 'series', data: 'points', groupby: 'configuration' } },
      marks: [
        { type: 'area', from: { data: 'series' }, encode: { enter: {
          x: { scale: 'x', field: 'k' }, y: { scale: 'y', field: 'low' }, y2: { scale: 'y', field: 'high' },
          fill: { scale: 'color', field: 'configuration' }, fillOpacity: { value: configurations.length > 3 ? 0.07 : 0.14 },
        } } },
        { type: 'line', from: { data: 'series' }, encode: { enter: {
          x: { scale: 'x', field: 'k' }, y: { scale: 'y', field: 'mean' },
          stroke: { scale: 'color', field: 'configuration' }, strokeWidth: { value: 2 },
        } } },
      ],
    }],
  };
}
