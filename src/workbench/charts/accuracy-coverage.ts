// Accuracy against catalogue coverage: one point per configuration (and per served-list variant), with
// 95% intervals as error bars in both directions.
import type { Spec } from 'vega';
import { base, colorLegend, colorScale } from './common.js';

export interface TradeoffPoint {
  configuration: string;
  /** 'model' lists (history left out) or 'served' lists (what a campaign returns). */
  lists: 'model' | 'served';
  coverage: number; coverageLow: number; coverageHigh: number;
  accuracy: number; accuracyLow: number; accuracyHigh: number;
}

export function accuracyCoverageSpec(points: TradeoffPoint[], configurations: string[], accuracyLabel = 'NDCG@10'): Spec {
  return {
    ...base(`${accuracyLabel} against coverage`, 420, 260),
    data: [{ name: 'points', values: points }],
    scales: [
      { name: 'x', type: 'linear', domain: { data: 'points', fields: ['coverageLow', 'coverageHigh'] }, range: 'width', nice: true, zero: true },
      { name: 'y', type: 'linear', domain: { data: 'points', fields: ['accuracyLow', 'accuracyHigh'] }, range: 'height', nice: true, zero: true },
      colorScale(configurations),
      { name: 'shape', type: 'ordinal', domain: ['model', 'served'], range: ['circle', 'diamond'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'coverage (share of the catalogue recommended)', format: '.1%', grid: true, tickCount: 6 },
      { orient: 'left', scale: 'y', title: accuracyLabel, format: '.3f', grid: true },
    ],
    legends: [colorLegend(), ...(points.some((p) => p.lists === 'served') ? [{ shape: 'shape', title: 'lists', orient: 'right' as const }] : [])],
    marks: [
      { type: 'rule', from: { data: 'points' }, encode: { enter: {
        x: { scale: 'x', field: 'coverage' }, y: { scale: 'y', field: 'accuracyLow' }, y2: { scale: 'y', field: 'accuracyHigh' },
        stroke: { scale: 'color', field: 'configuration' }, strokeWidth: { value: 1.5 },
      } } },
      { type: 'rule', from: { data: 'points' }, encode: { enter: {
        y: { scale: 'y', field: 'accuracy' }, x: { scale: 'x', field: 'coverageLow' }, x2: { scale: 'x', field: 'coverageHigh' },
        stroke: { scale: 'color', field: 'configuration' }, strokeWidth: { value: 1.5 },
      } } },
      { type: 'symbol', from: { data: 'points' }, encode: { enter: {
        x: { scale: 'x', field: 'coverage' }, y: { scale: 'y', field: 'accuracy' }, size: { value: 110 },
        shape: { scale: 'shape', field: 'lists' },
        fill: { scale: 'color', field: 'configuration' }, stroke: { value: 'white' }, strokeWidth: { value: 1 },
      } } },
    ],
  };
}
