// The popularity-bias distribution: the share of recommended slots by the recommended item's popularity rank
// (1 = the item most users had), in log-scale bins, one bar per configuration in each bin.
import type { Spec } from 'vega';
import { base, colorLegend, colorScale } from './common.js';

export interface PopularityBin { configuration: string; bin: string; share: number }

export function popularitySpec(bins: PopularityBin[], binOrder: string[], configurations: string[]): Spec {
  return {
    ...base('Popularity of recommended items', 420, 240),
    data: [{ name: 'bins', values: bins }],
    scales: [
      { name: 'x', type: 'band', domain: binOrder, range: 'width', padding: 0.15 },
      { name: 'y', type: 'linear', domain: { data: 'bins', field: 'share' }, range: 'height', nice: true, zero: true },
      colorScale(configurations),
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'popularity rank of the recommended item (1 = most popular)', labelAngle: binOrder.length > 6 ? -30 : 0, labelAlign: binOrder.length > 6 ? 'right' : 'center' },
      { orient: 'left', scale: 'y', title: 'share of recommended slots', format: '.0%', grid: true },
    ],
    legends: [colorLegend()],
    marks: [{
      type: 'group',
      from: { facet: { name: 'inBin', data: 'bins', groupby: 'bin' } },
      encode: { enter: { x: { scale: 'x', field: 'bin' }, width: { scale: 'x', band: 1 } } },
      signals: [{ name: 'binWidth', update: 'bandwidth("x")' }],
      scales: [{ name: 'inner', type: 'band', domain: configurations, range: [0, { signal: 'binWidth' }], padding: 0.08 }],
      marks: [{ type: 'rect', from: { data: 'inBin' }, encode: { enter: {
        x: { scale: 'inner', field: 'configuration' }, width: { scale: 'inner', band: 1 },
        y: { scale: 'y', field: 'share' }, y2: { scale: 'y', value: 0 }, fill: { scale: 'color', field: 'configuration' },
      } } }],
    }],
  };
}
